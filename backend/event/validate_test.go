package event

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name      string
		kind      Kind
		edit      func(*Input)
		wantField string // "" for a valid input
	}{
		{"OK_gridEvent", GridEvent, nil, ""},
		{"OK_hotlineWithGridIDOnly", Hotline, nil, ""},
		{"OK_cameraWithoutCoordinates", CameraAlert, nil, ""},
		{"OK_warning", Warning, nil, ""},
		{"OK_cameraWithCoordinates", CameraAlert, func(in *Input) { in.Lon, in.Lat = ptr(114.6), ptr(33.6) }, ""},
		{"OK_longestTexts", GridEvent, func(in *Input) {
			in.SourceID = strings.Repeat("a", MaxSourceIDBytes)
			in.Title = strings.Repeat("纠", MaxTitleRunes)
			in.Description = strings.Repeat("述", MaxDescriptionRunes)
			in.Address = strings.Repeat("址", MaxAddressRunes)
			in.ReporterName = strings.Repeat("名", MaxNameRunes)
		}, ""},
		{"OK_descriptionWithNewlineAndTab", GridEvent, func(in *Input) { in.Description = "第一行\n\t第二行" }, ""},
		{"OK_sourceIDAllAllowedCharacters", GridEvent, func(in *Input) { in.SourceID = "Az09._:-" }, ""},
		{"OK_phoneWithPlus", Hotline, func(in *Input) { in.CallerPhone = "+8613812345678" }, ""},
		{"OK_shortestPhone", Hotline, func(in *Input) { in.CallerPhone = "12345" }, ""},
		{"OK_occurredAtUTC", GridEvent, func(in *Input) { in.OccurredAt = "2025-06-01T03:00:00Z" }, ""},
		{"OK_occurredAtWithFraction", GridEvent, func(in *Input) { in.OccurredAt = "2025-06-01T11:00:00.123+08:00" }, ""},
		{"OK_occurredAtAtSkewLimit", GridEvent, func(in *Input) { in.OccurredAt = "2025-06-01T12:10:00+08:00" }, ""},
		{"OK_occurredAtAtAgeLimit", GridEvent, func(in *Input) {
			in.OccurredAt = testNow.Add(-MaxEventAge).Format(time.RFC3339)
		}, ""},
		{"OK_coordinateLimits", Warning, func(in *Input) { in.Lon, in.Lat = ptr(-180), ptr(90) }, ""},

		{"ErrKindMissing", GridEvent, func(in *Input) { in.Kind = "" }, "kind"},
		{"ErrKindUnknown", GridEvent, func(in *Input) { in.Kind = "Grid_Event" }, "kind"},
		{"ErrSourceIDMissing", GridEvent, func(in *Input) { in.SourceID = "" }, "source_id"},
		{"ErrSourceIDTooLong", GridEvent, func(in *Input) { in.SourceID = strings.Repeat("a", MaxSourceIDBytes+1) }, "source_id"},
		{"ErrSourceIDSpace", GridEvent, func(in *Input) { in.SourceID = "A 1" }, "source_id"},
		{"ErrSourceIDChinese", GridEvent, func(in *Input) { in.SourceID = "工单1" }, "source_id"},
		{"ErrSourceIDSlash", GridEvent, func(in *Input) { in.SourceID = "a/b" }, "source_id"},
		{"ErrCategoryMissing", GridEvent, func(in *Input) { in.Category = "" }, "category"},
		{"ErrCategoryOfAnotherKind", GridEvent, func(in *Input) { in.Category = "fire_smoke" }, "category"},
		{"ErrCategoryLabelInsteadOfCode", Hotline, func(in *Input) { in.Category = "住房物业" }, "category"},
		{"ErrSeverityMissing", GridEvent, func(in *Input) { in.Severity = "" }, "severity"},
		{"ErrSeverityUnknown", GridEvent, func(in *Input) { in.Severity = "urgent" }, "severity"},
		{"ErrTitleMissing", GridEvent, func(in *Input) { in.Title = "" }, "title"},
		{"ErrTitleBlank", GridEvent, func(in *Input) { in.Title = " \u3000 " }, "title"},
		{"ErrTitleTooLong", GridEvent, func(in *Input) { in.Title = strings.Repeat("纠", MaxTitleRunes+1) }, "title"},
		{"ErrTitleNewline", GridEvent, func(in *Input) { in.Title = "a\nb" }, "title"},
		{"ErrTitleNUL", GridEvent, func(in *Input) { in.Title = "a\x00b" }, "title"},
		{"ErrTitleEscape", GridEvent, func(in *Input) { in.Title = "a\x1b[31mb" }, "title"},
		{"ErrTitleC1Control", GridEvent, func(in *Input) { in.Title = "a\u0085b" }, "title"},
		{"ErrTitleInvalidUTF8", GridEvent, func(in *Input) { in.Title = "a\xffb" }, "title"},
		{"ErrDescriptionTooLong", GridEvent, func(in *Input) { in.Description = strings.Repeat("述", MaxDescriptionRunes+1) }, "description"},
		{"ErrDescriptionNUL", GridEvent, func(in *Input) { in.Description = "a\x00" }, "description"},
		{"ErrDescriptionCarriageReturn", GridEvent, func(in *Input) { in.Description = "a\r\nb" }, "description"},
		{"ErrDescriptionBlank", GridEvent, func(in *Input) { in.Description = "\n\t" }, "description"},
		{"ErrOccurredAtMissing", GridEvent, func(in *Input) { in.OccurredAt = "" }, "occurred_at"},
		{"ErrOccurredAtWithoutOffset", GridEvent, func(in *Input) { in.OccurredAt = "2025-06-01T11:40:00" }, "occurred_at"},
		{"ErrOccurredAtDateOnly", GridEvent, func(in *Input) { in.OccurredAt = "2025-06-01" }, "occurred_at"},
		{"ErrOccurredAtChineseFormat", GridEvent, func(in *Input) { in.OccurredAt = "2025-06-01 11:40:00" }, "occurred_at"},
		{"ErrOccurredAtUnixSeconds", GridEvent, func(in *Input) { in.OccurredAt = "1748749200" }, "occurred_at"},
		{"ErrOccurredAtPastSkew", GridEvent, func(in *Input) { in.OccurredAt = "2025-06-01T12:10:01+08:00" }, "occurred_at"},
		{"ErrOccurredAtTooOld", GridEvent, func(in *Input) {
			in.OccurredAt = testNow.Add(-MaxEventAge - time.Second).Format(time.RFC3339)
		}, "occurred_at"},
		{"ErrLonWithoutLat", GridEvent, func(in *Input) { in.Lat = nil }, "lat"},
		{"ErrLatWithoutLon", GridEvent, func(in *Input) { in.Lon = nil }, "lon"},
		{"ErrLonOutOfRange", GridEvent, func(in *Input) { in.Lon = ptr(180.0001) }, "lon"},
		{"ErrLatOutOfRange", GridEvent, func(in *Input) { in.Lat = ptr(-90.5) }, "lat"},
		{"ErrLonNaN", GridEvent, func(in *Input) { in.Lon = ptr(math.NaN()) }, "lon"},
		{"ErrLatInfinite", GridEvent, func(in *Input) { in.Lat = ptr(math.Inf(1)) }, "lat"},
		{"ErrGridIDBadCharacter", Hotline, func(in *Input) { in.GridID = "411602002 017" }, "grid_id"},
		{"ErrGridIDTooLong", Hotline, func(in *Input) { in.GridID = strings.Repeat("1", MaxRefIDBytes+1) }, "grid_id"},
		{"ErrAddressTooLong", GridEvent, func(in *Input) { in.Address = strings.Repeat("址", MaxAddressRunes+1) }, "address"},
		{"ErrAddressNewline", GridEvent, func(in *Input) { in.Address = "城南街道\n3号楼" }, "address"},
		{"ErrCallerPhoneOnCameraAlert", CameraAlert, func(in *Input) { in.CallerPhone = "13812345678" }, "caller_phone"},
		{"ErrCallerNameOnWarning", Warning, func(in *Input) { in.CallerName = "王秀英" }, "caller_name"},
		{"ErrCameraIDOnHotline", Hotline, func(in *Input) { in.CameraID = "C1" }, "camera_id"},
		{"ErrSensorIDOnGridEvent", GridEvent, func(in *Input) { in.SensorID = "S1" }, "sensor_id"},
		{"ErrReporterNameOnHotline", Hotline, func(in *Input) { in.ReporterName = "叶文华" }, "reporter_name"},
		{"ErrCameraIDMissing", CameraAlert, func(in *Input) { in.CameraID = "" }, "camera_id"},
		{"ErrSensorIDMissing", Warning, func(in *Input) { in.SensorID = "" }, "sensor_id"},
		{"ErrCameraIDBadCharacter", CameraAlert, func(in *Input) { in.CameraID = "cam#1" }, "camera_id"},
		{"ErrSensorIDTooLong", Warning, func(in *Input) { in.SensorID = strings.Repeat("s", MaxRefIDBytes+1) }, "sensor_id"},
		{"ErrCallerPhoneLetters", Hotline, func(in *Input) { in.CallerPhone = "138-1234-5678" }, "caller_phone"},
		{"ErrCallerPhoneTooShort", Hotline, func(in *Input) { in.CallerPhone = "1234" }, "caller_phone"},
		{"ErrCallerPhoneTooLong", Hotline, func(in *Input) { in.CallerPhone = "+" + strings.Repeat("1", MaxPhoneChars) }, "caller_phone"},
		{"ErrCallerPhonePlusInside", Hotline, func(in *Input) { in.CallerPhone = "86+13812345678" }, "caller_phone"},
		{"ErrCallerPhoneOnlyPluses", Hotline, func(in *Input) { in.CallerPhone = "+++++" }, "caller_phone"},
		{"ErrCallerNameTooLong", Hotline, func(in *Input) { in.CallerName = strings.Repeat("名", MaxNameRunes+1) }, "caller_name"},
		{"ErrReporterNameBlank", GridEvent, func(in *Input) { in.ReporterName = "  " }, "reporter_name"},
		{"ErrNoLocation", GridEvent, func(in *Input) { in.Lon, in.Lat, in.GridID = nil, nil, "" }, "lon"},
		{"ErrFirstRuleWins", GridEvent, func(in *Input) { in.Kind, in.Title = "", "" }, "kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput(tc.kind)
			if tc.edit != nil {
				tc.edit(&in)
			}
			err := in.Validate(testNow)
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			ae := requireClientError(t, err)
			if ae.Code != apperr.Invalid || ae.Field != tc.wantField {
				t.Fatalf("Validate = %v; want code invalid, field %s", err, tc.wantField)
			}
			if !strings.Contains(ae.Message, tc.wantField) && !strings.Contains(ae.Message, "location") {
				t.Errorf("message %q does not name the field %s", ae.Message, tc.wantField)
			}
		})
	}
}

// TestValidateMessages pins the wording of a few messages integrators see.
func TestValidateMessages(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Input)
		want string
	}{
		{"CategoryListsAllowedCodes", func(in *Input) { in.Category = "x" },
			"category must be one of dispute, city_management, environment, public_service, housing, labor, traffic, consultation, other for kind hotline"},
		{"KindSpecificFieldNamesItsKind", func(in *Input) { in.SensorID = "S1" }, "sensor_id is only allowed for kind warning"},
		{"ControlCharacterIsLocated", func(in *Input) { in.Title = "电梯\x00停运" }, "title must contain no control characters (found U+0000 at character 3)"},
		{"FutureNamesTheSkew", func(in *Input) { in.OccurredAt = "2025-06-02T00:00:00+08:00" }, "occurred_at must not be more than 10 minutes in the future (check the sender's clock)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput(Hotline)
			tc.edit(&in)
			ae := requireClientError(t, in.Validate(testNow))
			if ae.Message != tc.want {
				t.Errorf("message\n got %q\nwant %q", ae.Message, tc.want)
			}
		})
	}
}

// TestValidateWrapsTimeError keeps the parser's detail for the log.
func TestValidateWrapsTimeError(t *testing.T) {
	in := validInput(GridEvent)
	in.OccurredAt = "2025-13-01T00:00:00Z"
	ae := requireClientError(t, in.Validate(testNow))
	if ae.Unwrap() == nil {
		t.Fatalf("error %v wraps no cause", ae)
	}
}
