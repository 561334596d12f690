package workflow_test

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

// The test district: two streets, a few departments, a team, two grids.
const (
	street1 = "411602001"
	street2 = "411602002"
	grid1   = "411602001-001"
	pcs1    = "411602001-pcs" // on scene in 10 minutes
	sfs1    = "411602001-sfs"
	pcs2    = "411602002-pcs"
	team1   = "vt-411602001-C01-1"
)

const testDirectoryJSON = `[
{"id":"zhzx-duty","name":"带班领导","kind":"department","on_scene_minutes":30},
{"id":"sfj","name":"川汇区司法局","kind":"department","on_scene_minutes":60},
{"id":"xfjy","name":"川汇区消防救援大队","kind":"department"},
{"id":"411602001-zzzx","name":"陈州回族街道综治中心","kind":"department","street":"411602001","on_scene_minutes":15},
{"id":"411602001-pcs","name":"陈州回族街道派出所","kind":"department","street":"411602001","on_scene_minutes":10},
{"id":"411602001-sfs","name":"陈州回族街道司法所","kind":"department","street":"411602001","on_scene_minutes":20},
{"id":"411602002-zzzx","name":"七一路街道综治中心","kind":"department","street":"411602002"},
{"id":"411602002-pcs","name":"七一路街道派出所","kind":"department","street":"411602002"},
{"id":"vt-411602001-C01-1","name":"清河社区党员先锋志愿服务队","kind":"volunteer_team","street":"411602001","community":"411602001-C01"}
]`

// testWorkerGrids are the grids with a worker on the duty roster.
var testWorkerGrids = []string{"411602001-001", "411602001-002"}

func testRules(tb testing.TB) *workflow.Rules {
	tb.Helper()
	d, err := directory.Parse([]byte(testDirectoryJSON), testWorkerGrids, []string{street1, street2})
	if err != nil {
		tb.Fatal(err)
	}
	return &workflow.Rules{Directory: d, SLA: workflow.DefaultPolicy, Care: workflow.DefaultCare}
}

// t0 is when test events are reported.
var t0 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// newEvent is a reported event of street1, grid1, at t0, 114.65°E 33.62°N.
func newEvent(id string, k event.Kind, category string, sev event.Severity) event.Event {
	e := event.Event{ID: id, Kind: k, SourceID: "src-" + id, Source: "test", Category: category, Severity: sev,
		Status: event.Reported, Title: "测试 " + id, Lon: 114.65, Lat: 33.62, GridID: grid1,
		CommunityID: "411602001-C01", StreetCode: street1, OccurredAt: t0, ReportedAt: t0, UpdatedAt: t0}
	switch k {
	case event.CameraAlert:
		e.CameraID = "CAM-000001"
	case event.Warning:
		e.SensorID = "S-1"
	}
	return e
}

func loaded(e event.Event) workflow.Loaded {
	return workflow.Loaded{Event: e, Version: workflow.Version(string(e.Status) + " v")}
}

// wantCode fails unless err carries code.
func wantCode(tb testing.TB, err error, code apperr.Code) *apperr.Error {
	tb.Helper()
	if apperr.CodeOf(err) != code {
		tb.Fatalf("err = %v, want code %s", err, code)
	}
	ae, _ := err.(*apperr.Error)
	if ae == nil {
		tb.Fatalf("err = %T, want *apperr.Error", err)
	}
	return ae
}
