package event

import (
	"reflect"
	"testing"
	"time"
)

func TestToEvent(t *testing.T) {
	in := validInput(Hotline)
	in.Title, in.CallerName = "  小区电梯停运三天\n", " 王秀英 "
	loc := Location{Lon: 114.65, Lat: 33.62, GridID: "411602002-017", CommunityID: "C-001", StreetCode: "411602002"}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	got := in.ToEvent("E42", loc, "hotline12345", now)
	want := Event{
		ID: "E42", Kind: Hotline, SourceID: in.SourceID, Source: "hotline12345",
		Category: "housing", Severity: Medium, Status: Reported,
		Title: "小区电梯停运三天", Lon: 114.65, Lat: 33.62,
		GridID: "411602002-017", CommunityID: "C-001", StreetCode: "411602002",
		OccurredAt: time.Date(2025, 6, 1, 3, 40, 0, 0, time.UTC),
		ReportedAt: now.UTC(), UpdatedAt: now.UTC(),
		CallerPhone: "13812345678", CallerName: "王秀英",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ToEvent\n got %+v\nwant %+v", got, want)
	}
}

// TestToEventTakesTheCallersLocation: the caller may place a camera alert
// at its camera, whatever the input says.
func TestToEventTakesTheCallersLocation(t *testing.T) {
	in := validInput(GridEvent)
	got := in.ToEvent("E1", Location{Lon: 1, Lat: 2, GridID: "G"}, "s", testNow)
	if got.Lon != 1 || got.Lat != 2 || got.GridID != "G" {
		t.Fatalf("ToEvent placed the event at %v,%v %s; want the caller's 1,2 G", got.Lon, got.Lat, got.GridID)
	}
}

func TestNewReportedChange(t *testing.T) {
	e := validInput(Warning).ToEvent("E7", Location{}, "gas", testNow)
	got := NewReportedChange(e, "ingest:gas")
	want := Change{EventID: "E7", At: e.ReportedAt, From: "", To: Reported, Actor: "ingest:gas"}
	if got != want {
		t.Fatalf("NewReportedChange = %+v, want %+v", got, want)
	}
}

// TestInputIsFlat guards what DecodeInput relies on: Input holds only
// strings and *float64, so no JSON nesting is ever decoded into it, and
// jsonType names every field's type correctly.
func TestInputIsFlat(t *testing.T) {
	typ := reflect.TypeFor[Input]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		ok := f.Type.Kind() == reflect.String ||
			f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Float64
		if !ok {
			t.Errorf("Input.%s is a %s; want a string or *float64", f.Name, f.Type)
		}
	}
}
