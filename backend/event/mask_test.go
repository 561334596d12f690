package event

import (
	"reflect"
	"regexp"
	"slices"
	"testing"
)

// The patterns Masked must leave no match of, written as the brief states
// them: the oracle for maskNumbers' hand-written scanner.
var (
	mobileRE = regexp.MustCompile(`1[3-9]\d{9}`)
	idCardRE = regexp.MustCompile(`\d{17}[\dXx]`)
)

// maskedFields are the string fields Masked rewrites; verbatimFields those
// it keeps (see its doc comment). TestMaskedClassifiesEveryField keeps the
// two lists complete when Event grows.
var (
	maskedFields   = []string{"SourceID", "Source", "Title", "Description", "Address", "CallerName", "CallerPhone", "ReporterName"}
	verbatimFields = []string{"ID", "Kind", "Category", "Severity", "Status", "GridID", "CommunityID", "StreetCode", "CameraID", "SensorID", "Assignee", "MergedInto"}
)

func TestMaskName(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"OK_chineseName", "叶文华", "叶某"},
		{"OK_twoCharacters", "王芳", "王某"},
		{"OK_compoundSurnameKeepsFirst", "欧阳娜娜", "欧某"},
		{"OK_alreadyMasked", "叶某", "叶某"},
		{"OK_latinName", "Li Wei", "L某"},
		{"OK_surroundingSpace", " 叶文华 ", "叶某"},
		{"OK_phoneInNameField", "13812345678", "1某"},
		{"OK_empty", "", ""},
		{"OK_blank", "  ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := maskName(tc.in); got != tc.want {
				t.Fatalf("maskName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"OK_mobile", "13812341234", "138****1234"},
		{"OK_international", "+8613812345678", "+86*******5678"},
		{"OK_landlineWithAreaCode", "03948888888", "039****8888"},
		{"OK_shortNumberKeepsLastTwo", "8888888", "*****88"},
		{"OK_shortestNumber", "12345", "***45"},
		{"OK_alreadyMasked", "138****1234", "138****1234"},
		{"OK_empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := maskPhone(tc.in); got != tc.want {
				t.Fatalf("maskPhone(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMaskAddress(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"OK_cutAfterCommunity", "川汇区城南街道建设路社区3号楼2单元501", "川汇区城南街道建设路社区…"},
		{"OK_cutAfterVillage", "搬口乡李庄村东头第三户", "搬口乡李庄村…"},
		{"OK_cutAfterResidentialCompound", "七一路幸福小区5号楼", "七一路幸福小区…"},
		{"OK_streetOnly", "川汇区七一路街道办事处对面", "川汇区七一路街道…"},
		{"OK_lastMarkerWins", "城南街道建设路社区和平小区8号楼", "城南街道建设路社区和平小区…"},
		{"OK_markerStraddlingCharacter40Ignored", "周口市川汇区人民路与七一路交叉口向东五百米路北第三个门面房隔壁的巷子里面的和平社区", "（地址已隐藏）"},
		{"OK_markerEndingAtCharacter40Kept", "周口市川汇区人民路与七一路交叉口向东五百米路北第三个门面房隔壁的巷子里面和平社区12号", "周口市川汇区人民路与七一路交叉口向东五百米路北第三个门面房隔壁的巷子里面和平社区…"},
		{"OK_noMarkerHidden", "人民路88号", "（地址已隐藏）"},
		{"OK_phoneBeforeMarkerStarred", "13812345678号楼小区", "138****5678号楼小区…"},
		{"OK_alreadyCut", "川汇区城南街道建设路社区…", "川汇区城南街道建设路社区…"},
		{"OK_alreadyHidden", "（地址已隐藏）", "（地址已隐藏）"},
		{"OK_empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MaskAddress(tc.in); got != tc.want {
				t.Fatalf("MaskAddress(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMaskNumbers(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"OK_mobile", "来电人电话13812345678，请回访", "来电人电话138****5678，请回访"},
		{"OK_mobileWithSpaces", "电话 138 1234 5678", "电话 138 **** 5678"},
		{"OK_mobileWithDashes", "电话138-1234-5678。", "电话138-****-5678。"},
		{"OK_mobileWithCountryCode", "+86 138 1234 5678", "+86 1** **** 5678"},
		{"OK_twoMobiles", "13812345678/15912345678", "138****5678/159****5678"},
		{"OK_idCard", "身份证410102199001011234", "身份证410***********1234"},
		{"OK_idCardWithX", "身份证41010219900101123X号", "身份证410***********123X号"},
		{"OK_idCardWithLowercaseX", "41010219900101123x", "410***********123x"},
		{"OK_longDigitRunContainingMobile", "单号2025061381234567890", "单号202************7890"},
		{"OK_shortNumbersKept", "3号楼2单元501室，共12人", "3号楼2单元501室，共12人"},
		{"OK_landlineKept", "0394-8888888", "0394-8888888"},
		{"OK_dateKept", "2025-06-01 08:30", "2025-06-01 08:30"},
		{"OK_elevenDigitsNotMobileKept", "12345678901", "12345678901"},
		{"OK_alreadyMasked", "138****5678", "138****5678"},
		{"OK_doubleSpaceSeparatesGroups", "138  1234  5678", "138  1234  5678"},
		{"OK_empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := maskNumbers(tc.in)
			if got != tc.want {
				t.Fatalf("maskNumbers(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := maskNumbers(got); again != got {
				t.Fatalf("maskNumbers is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestMasked(t *testing.T) {
	e := validInput(Hotline).ToEvent("E1", Location{GridID: "411602002-017", StreetCode: "411602002"}, "hotline12345", testNow)
	e.Title = "来电13812345678反映电梯停运"
	e.Address = "川汇区城南街道建设路社区3号楼"
	e.CameraID = "41160200001320000123" // not on a hotline event, but shows identifiers stay
	got := Masked(e)
	want := e
	want.Title = "来电138****5678反映电梯停运"
	want.Address = "川汇区城南街道建设路社区…"
	want.CallerName = "王某"
	want.CallerPhone = "138****5678"
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Masked\n got %+v\nwant %+v", got, want)
	}
	if again := Masked(got); !reflect.DeepEqual(again, got) {
		t.Fatalf("Masked is not idempotent:\n%+v\n%+v", got, again)
	}
}

// TestMaskedClassifiesEveryField fails when Event gains a string field that
// nobody decided to mask or to keep.
func TestMaskedClassifiesEveryField(t *testing.T) {
	typ := reflect.TypeFor[Event]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Type.Kind() != reflect.String {
			continue
		}
		if slices.Contains(maskedFields, f.Name) == slices.Contains(verbatimFields, f.Name) {
			t.Errorf("Event.%s must be in exactly one of maskedFields and verbatimFields (and in Masked's doc)", f.Name)
		}
	}
}

// requireMasked fails if the masked fields of m still hold a mobile or
// ID-card number, or if masking m again changes it.
func requireMasked(tb testing.TB, m Event) {
	tb.Helper()
	v := reflect.ValueOf(m)
	for _, name := range maskedFields {
		s := v.FieldByName(name).String()
		if loc := mobileRE.FindString(s); loc != "" {
			tb.Fatalf("masked %s = %q still holds mobile number %q", name, s, loc)
		}
		if loc := idCardRE.FindString(s); loc != "" {
			tb.Fatalf("masked %s = %q still holds ID-card number %q", name, s, loc)
		}
	}
	if again := Masked(m); !reflect.DeepEqual(again, m) {
		tb.Fatalf("Masked is not idempotent:\n%+v\n%+v", m, again)
	}
}
