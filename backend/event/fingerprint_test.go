package event

import (
	"math"
	"regexp"
	"testing"
)

func TestFingerprintSameContent(t *testing.T) {
	base := `{"kind":"grid_event","source_id":"G1","category":"dispute","severity":"high","title":"噪音纠纷","description":"深夜装修","lon":114.65,"lat":33.61,"address":"建设路社区","occurred_at":"2025-06-01T08:30:00+08:00","reporter_name":"叶文华"}`
	for _, tc := range []struct{ name, body string }{
		{"SameForKeyOrder", `{"reporter_name":"叶文华","occurred_at":"2025-06-01T08:30:00+08:00","address":"建设路社区","lat":33.61,"lon":114.65,"description":"深夜装修","title":"噪音纠纷","severity":"high","category":"dispute","source_id":"G1","kind":"grid_event"}`},
		{"SameForWhitespace", "{\n  \"kind\": \"grid_event\", \"source_id\": \"G1\", \"category\": \"dispute\", \"severity\": \"high\",\n  \"title\": \"噪音纠纷\", \"description\": \"深夜装修\", \"lon\": 114.65, \"lat\": 33.61,\n  \"address\": \"建设路社区\", \"occurred_at\": \"2025-06-01T08:30:00+08:00\", \"reporter_name\": \"叶文华\"\n}\n"},
		{"SameForEscapes", `{"kind":"grid_event","source_id":"G1","category":"dispute","severity":"high","title":"\u566a\u97f3\u7ea0\u7eb7","description":"深夜装修","lon":114.65,"lat":33.61,"address":"建设路社区","occurred_at":"2025-06-01T08:30:00+08:00","reporter_name":"叶文华"}`},
		{"SameForOffsetSpelling", `{"kind":"grid_event","source_id":"G1","category":"dispute","severity":"high","title":"噪音纠纷","description":"深夜装修","lon":114.65,"lat":33.61,"address":"建设路社区","occurred_at":"2025-06-01T00:30:00.000Z","reporter_name":"叶文华"}`},
		{"SameForNumberSpelling", `{"kind":"grid_event","source_id":"G1","category":"dispute","severity":"high","title":"噪音纠纷","description":"深夜装修","lon":114.650,"lat":3.361e1,"address":"建设路社区","occurred_at":"2025-06-01T08:30:00+08:00","reporter_name":"叶文华"}`},
		{"SameForSurroundingSpace", `{"kind":"grid_event","source_id":"G1","category":"dispute","severity":"high","title":" 噪音纠纷 ","description":"深夜装修\n","lon":114.65,"lat":33.61,"address":"建设路社区 ","occurred_at":"2025-06-01T08:30:00+08:00","reporter_name":" 叶文华"}`},
		{"SameForNullOptional", `{"kind":"grid_event","source_id":"G1","category":"dispute","severity":"high","title":"噪音纠纷","description":"深夜装修","lon":114.65,"lat":33.61,"grid_id":null,"address":"建设路社区","occurred_at":"2025-06-01T08:30:00+08:00","reporter_name":"叶文华"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := mustDecode(t, base), mustDecode(t, tc.body)
			if a.Fingerprint() != b.Fingerprint() {
				t.Fatalf("fingerprints differ for the same content:\n%s\n%s", base, tc.body)
			}
		})
	}
}

func TestFingerprintOtherContent(t *testing.T) {
	base := validInput(GridEvent)
	for _, tc := range []struct {
		name string
		edit func(*Input)
	}{
		{"DiffersForKind", func(in *Input) { in.Kind = Hotline }},
		{"DiffersForSourceID", func(in *Input) { in.SourceID += "x" }},
		{"DiffersForCategory", func(in *Input) { in.Category = "other" }},
		{"DiffersForSeverity", func(in *Input) { in.Severity = Critical }},
		{"DiffersForTitle", func(in *Input) { in.Title += "!" }},
		{"DiffersForTitleCase", func(in *Input) { in.Title = "Noise" }},
		{"DiffersForDescription", func(in *Input) { in.Description = "" }},
		{"DiffersForLon", func(in *Input) { in.Lon = ptr(*in.Lon + 1e-9) }},
		{"DiffersForLat", func(in *Input) { in.Lat = ptr(33) }},
		{"DiffersForAbsentVersusZero", func(in *Input) { in.Lon, in.Lat = ptr(0), nil }},
		{"DiffersForGridID", func(in *Input) { in.GridID = "411602002-017" }},
		{"DiffersForAddress", func(in *Input) { in.Address = "别处" }},
		{"DiffersForOccurredAt", func(in *Input) { in.OccurredAt = "2025-06-01T11:40:01+08:00" }},
		{"DiffersForCameraID", func(in *Input) { in.CameraID = "C1" }},
		{"DiffersForCallerPhone", func(in *Input) { in.CallerPhone = "13800000000" }},
		{"DiffersForCallerName", func(in *Input) { in.CallerName = "王某" }},
		{"DiffersForSensorID", func(in *Input) { in.SensorID = "S1" }},
		{"DiffersForReporterName", func(in *Input) { in.ReporterName = "叶文" }},
		{"DiffersWhenTextMovesBetweenFields", func(in *Input) {
			in.Title, in.Description = in.Title+in.Description, ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.edit(&in)
			if in.Fingerprint() == base.Fingerprint() {
				t.Fatalf("same fingerprint for different content")
			}
		})
	}
}

func TestFingerprintFormat(t *testing.T) {
	in := validInput(Hotline)
	fp := in.Fingerprint()
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(fp) {
		t.Fatalf("Fingerprint = %q, want 64 lowercase hex digits", fp)
	}
	if again := in.Fingerprint(); again != fp {
		t.Fatalf("Fingerprint is not stable: %s then %s", fp, again)
	}
}

func TestFingerprintNegativeZero(t *testing.T) {
	a, b := validInput(Warning), validInput(Warning)
	a.Lon, b.Lon = ptr(0), ptr(math.Copysign(0, -1))
	if a.Fingerprint() != b.Fingerprint() {
		t.Fatal("0 and -0 give different fingerprints")
	}
}

func mustDecode(tb testing.TB, body string) Input {
	tb.Helper()
	in, err := DecodeInput([]byte(body))
	if err != nil {
		tb.Fatalf("DecodeInput(%s): %v", body, err)
	}
	return in
}
