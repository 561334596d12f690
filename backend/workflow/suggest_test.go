package workflow_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

// metresNorth moves a point about m metres north.
func metresNorth(e event.Event, m float64) event.Event {
	e.Lat += m / 111195
	return e
}

func TestCompatible(t *testing.T) {
	tests := []struct {
		ak   event.Kind
		ac   string
		bk   event.Kind
		bc   string
		want string // "" is incompatible
	}{
		{event.Hotline, "dispute", event.GridEvent, "dispute", "dispute"},
		{event.GridEvent, "dispute", event.CameraAlert, "fight", "dispute"},
		{event.CameraAlert, "fight", event.GridEvent, "public_safety", "public_order"},
		{event.Warning, "gas", event.CameraAlert, "fire_smoke", "fire_gas"},
		{event.GridEvent, "safety_hazard", event.Warning, "structure", "building"},
		{event.Hotline, "traffic", event.CameraAlert, "illegal_parking", "city"},
		{event.Hotline, "public_service", event.Warning, "power", "utilities"},
		{event.Hotline, "environment", event.Warning, "air_quality", "environment"},
		{event.Hotline, "other", event.Hotline, "other", "same"},
		{event.Hotline, "labor", event.Hotline, "labor", "same"},
		{event.Hotline, "other", event.GridEvent, "other", ""},
		{event.Hotline, "dispute", event.CameraAlert, "illegal_parking", ""},
		{event.Warning, "water_level", event.CameraAlert, "fire_smoke", ""},
		{event.Hotline, "consultation", event.GridEvent, "livelihood", ""},
	}
	for _, tt := range tests {
		a, b := newEvent("a", tt.ak, tt.ac, event.Medium), newEvent("b", tt.bk, tt.bc, event.Medium)
		for _, pair := range [][2]*event.Event{{&a, &b}, {&b, &a}} {
			got, ok := workflow.Compatible(pair[0], pair[1])
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("Compatible(%s/%s, %s/%s) = %q, %v; want %q", pair[0].Kind, pair[0].Category, pair[1].Kind, pair[1].Category, got, ok, tt.want)
			}
		}
	}
}

func TestSuggestions(t *testing.T) {
	call := newEvent("call", event.Hotline, "dispute", event.High)
	near := metresNorth(newEvent("near", event.GridEvent, "dispute", event.High), 80)
	nearer := metresNorth(newEvent("nearer", event.CameraAlert, "fight", event.Critical), 20)
	far := metresNorth(newEvent("far", event.GridEvent, "dispute", event.High), 200)
	late := newEvent("late", event.GridEvent, "dispute", event.High)
	late.OccurredAt = call.OccurredAt.Add(2*time.Hour + time.Minute)
	earlyOK := newEvent("early", event.GridEvent, "dispute", event.High)
	earlyOK.OccurredAt = call.OccurredAt.Add(-119 * time.Minute)
	unrelated := newEvent("parking", event.CameraAlert, "illegal_parking", event.Low)
	done := newEvent("done", event.GridEvent, "dispute", event.High)
	done.Status = event.Closed
	noPoint := newEvent("nopoint", event.GridEvent, "dispute", event.High)
	noPoint.Lon, noPoint.Lat = 0, 0
	open := []event.Event{call, far, near, late, earlyOK, unrelated, done, noPoint, nearer}

	got := workflow.Suggestions(&call, open)
	var ids []string
	for _, s := range got {
		ids = append(ids, s.EventID)
	}
	if want := []string{"early", "nearer", "near"}; !slices.Equal(ids, want) {
		t.Fatalf("suggestions %v, want %v", ids, want)
	}
	if s := got[1]; s.Match != "dispute" || s.DistanceM < 19 || s.DistanceM > 21 || s.Kind != event.CameraAlert {
		t.Errorf("nearer: %+v", s)
	}
	if s := got[0]; s.MinutesApart != 119 || s.DistanceM != 0 || s.Match != "dispute" {
		t.Errorf("early: %+v", s)
	}
	mergedInto := call
	mergedInto.MergedInto = "near"
	for _, s := range workflow.Suggestions(&mergedInto, open) {
		if s.EventID == "near" {
			t.Error("suggested the case it was merged into")
		}
	}
	if got := workflow.Suggestions(&noPoint, open); len(got) != 0 {
		t.Errorf("an event without coordinates got suggestions %v", got)
	}
}

func TestDistanceM(t *testing.T) {
	// One degree of latitude is about 111.2 km; one of longitude at 33.6°N about 92.6 km.
	if d := workflow.DistanceM(114.65, 33, 114.65, 34); d < 111100 || d > 111300 {
		t.Errorf("1° of latitude = %.0f m", d)
	}
	if d := workflow.DistanceM(114, 33.62, 115, 33.62); d < 92500 || d > 92700 {
		t.Errorf("1° of longitude = %.0f m", d)
	}
}
