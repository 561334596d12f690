package event

import "testing"

func TestCategories(t *testing.T) {
	for _, k := range Kinds {
		t.Run("OK_"+string(k), func(t *testing.T) {
			list := Categories(k)
			if len(list) == 0 || list[len(list)-1].Code != OtherCategory {
				t.Fatalf("Categories(%s) = %v; want a list ending with %q", k, list, OtherCategory)
			}
			seen := map[string]bool{}
			for _, c := range list {
				if seen[c.Code] || c.Label == "" || !ValidCategory(k, c.Code) {
					t.Errorf("category %+v: duplicate, unlabelled or not valid", c)
				}
				seen[c.Code] = true
				// A code shared by several kinds must have one label.
				if CategoryLabel(c.Code) != c.Label {
					t.Errorf("CategoryLabel(%s) = %s, but kind %s labels it %s", c.Code, CategoryLabel(c.Code), k, c.Label)
				}
			}
		})
	}
	t.Run("NilForUnknownKind", func(t *testing.T) {
		if got := Categories("sms"); got != nil {
			t.Fatalf("Categories(sms) = %v, want nil", got)
		}
	})
	t.Run("ReturnsACopy", func(t *testing.T) {
		Categories(GridEvent)[0].Code = "changed"
		if Categories(GridEvent)[0].Code != "dispute" {
			t.Fatal("changing the returned slice changed the table")
		}
	})
}

func TestValidCategory(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind Kind
		code string
		want bool
	}{
		{"OK_gridDispute", GridEvent, "dispute", true},
		{"OK_hotlineDispute", Hotline, "dispute", true},
		{"OK_cameraCrowd", CameraAlert, "crowd", true},
		{"OK_warningGas", Warning, "gas", true},
		{"OK_otherEverywhere", Warning, "other", true},
		{"ErrCameraCategoryOnWarning", Warning, "crowd", false},
		{"ErrGridCategoryOnHotline", Hotline, "public_safety", false},
		{"ErrLabelNotCode", GridEvent, "矛盾纠纷", false},
		{"ErrCaseMatters", GridEvent, "Dispute", false},
		{"ErrEmpty", GridEvent, "", false},
		{"ErrUnknownKind", "sms", "other", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ValidCategory(tc.kind, tc.code); got != tc.want {
				t.Fatalf("ValidCategory(%s, %q) = %v, want %v", tc.kind, tc.code, got, tc.want)
			}
		})
	}
}

func TestLabels(t *testing.T) {
	for _, tc := range []struct{ name, got, want string }{
		{"KindGridEvent", KindLabel(GridEvent), "网格事件"},
		{"KindHotline", KindLabel(Hotline), "12345热线"},
		{"KindCameraAlert", KindLabel(CameraAlert), "雪亮告警"},
		{"KindWarning", KindLabel(Warning), "预警"},
		{"KindUnknownIsItsCode", KindLabel("sms"), "sms"},
		{"SeverityLow", SeverityLabel(Low), "低"},
		{"SeverityCritical", SeverityLabel(Critical), "紧急"},
		{"SeverityUnknownIsItsCode", SeverityLabel("x"), "x"},
		{"StatusReported", StatusLabel(Reported), "已上报"},
		{"StatusDispatched", StatusLabel(Dispatched), "已派遣"},
		{"StatusUnknownIsItsCode", StatusLabel("x"), "x"},
		{"CategorySafetyHazard", CategoryLabel("safety_hazard"), "安全隐患(消防/燃气)"},
		{"CategoryUnknownIsItsCode", CategoryLabel("x"), "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Fatalf("label = %q, want %q", tc.got, tc.want)
			}
		})
	}
	t.Run("EveryValueHasALabel", func(t *testing.T) {
		for _, k := range Kinds {
			if KindLabel(k) == string(k) {
				t.Errorf("kind %s has no label", k)
			}
		}
		for _, s := range Severities {
			if SeverityLabel(s) == string(s) {
				t.Errorf("severity %s has no label", s)
			}
		}
		for _, s := range Statuses {
			if StatusLabel(s) == string(s) {
				t.Errorf("status %s has no label", s)
			}
		}
	})
}
