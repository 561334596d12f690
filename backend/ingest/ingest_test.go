package ingest_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/ingest"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

var (
	districtOnce sync.Once
	district     *grid.District
	districtErr  error
)

// mustDistrict loads the committed geodata once per test binary.
func mustDistrict(t *testing.T) *grid.District {
	t.Helper()
	districtOnce.Do(func() { district, districtErr = grid.Load(filepath.Join(testsvc.RepoRoot(t), "geodata")) })
	if districtErr != nil {
		t.Fatal(districtErr)
	}
	return district
}

func mustService(t *testing.T) (*ingest.Service, *redisbus.Log) {
	t.Helper()
	rdb, prefix := testsvc.Redis(t)
	log := redisbus.NewLog(rdb, redisbus.NewKeys(prefix), time.Hour)
	zone, _ := time.LoadLocation("Asia/Shanghai")
	return ingest.New(mustDistrict(t), log, zone), log
}

func ptr(f float64) *float64 { return &f }

// hotline returns a valid hotline input at the given grid's label point.
func hotline(t *testing.T, sourceID string, g *grid.Grid) event.Input {
	t.Helper()
	return event.Input{Kind: event.Hotline, SourceID: sourceID, Category: "dispute", Severity: event.High,
		Title: "楼上噪音扰民", Lon: ptr(g.Label[0]), Lat: ptr(g.Label[1]), CallerPhone: "13812345678",
		OccurredAt: time.Now().Add(-time.Minute).Format(time.RFC3339)}
}

func TestIngest(t *testing.T) {
	ctx := testsvc.Context(t)
	svc, log := mustService(t)
	d := mustDistrict(t)
	g := d.Grids[100]

	// One input for the first send and the re-send: hotline stamps
	// occurred_at from the clock, and a second boundary between two calls
	// would make the re-send a conflict.
	call1 := hotline(t, "call-1", g)
	first, err := svc.Ingest(ctx, "hotline12345", call1)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK_locatedAndDurable", func(t *testing.T) {
		if first.GridID != g.ID || first.StreetCode != g.StreetCode || first.Seq != 1 || first.Duplicate {
			t.Errorf("got %+v, want grid %s street %s seq 1", first, g.ID, g.StreetCode)
		}
		recs, err := log.Range(ctx, 0, 1)
		if err != nil || len(recs) != 1 || recs[0].Event.ID != first.ID || recs[0].Change.To != event.Reported {
			t.Errorf("log holds %+v, %v", recs, err)
		}
	})
	t.Run("Duplicate_sameContent", func(t *testing.T) {
		again, err := svc.Ingest(ctx, "hotline12345", call1)
		if err != nil || !again.Duplicate || again.ID != first.ID || again.Seq != first.Seq {
			t.Errorf("got %+v, %v; want the first id flagged duplicate", again, err)
		}
	})
	t.Run("ErrConflict_otherContent", func(t *testing.T) {
		in := hotline(t, "call-1", g)
		in.Title = "另一件事"
		_, err := svc.Ingest(ctx, "hotline12345", in)
		if !apperr.Is(err, apperr.Conflict) {
			t.Errorf("err = %v, want conflict", err)
		}
	})

	cam := d.Cameras[0]
	cases := []struct {
		name  string
		in    func() event.Input
		code  apperr.Code
		field string
		grid  string
	}{
		{"ErrOutsideDistrict", func() event.Input {
			in := hotline(t, "out", g)
			in.Lon, in.Lat = ptr(116.4), ptr(39.9) // Beijing
			return in
		}, apperr.Unprocessable, "lon", ""},
		{"ErrGridDisagrees", func() event.Input {
			in := hotline(t, "disagree", g)
			in.GridID = d.Grids[900].ID
			return in
		}, apperr.Unprocessable, "grid_id", ""},
		{"ErrUnknownGrid", func() event.Input {
			in := hotline(t, "nogrid", g)
			in.Lon, in.Lat, in.GridID = nil, nil, "411602001-999"
			return in
		}, apperr.Unprocessable, "grid_id", ""},
		{"OK_gridIDAlone", func() event.Input {
			in := hotline(t, "gridonly", g)
			in.Lon, in.Lat, in.GridID = nil, nil, g.ID
			return in
		}, "", "", g.ID},
		{"OK_cameraAlertTakesCameraPosition", func() event.Input {
			return event.Input{Kind: event.CameraAlert, SourceID: "cam-1", Category: "crowd", Severity: event.Medium,
				Title: "人员聚集", CameraID: cam.ID, OccurredAt: time.Now().Format(time.RFC3339)}
		}, "", "", cam.GridID},
		{"ErrUnknownCamera", func() event.Input {
			return event.Input{Kind: event.CameraAlert, SourceID: "cam-2", Category: "crowd", Severity: event.Medium,
				Title: "人员聚集", CameraID: "CAM-NOPE", OccurredAt: time.Now().Format(time.RFC3339)}
		}, apperr.Unprocessable, "camera_id", ""},
		{"ErrInvalid", func() event.Input {
			in := hotline(t, "bad", g)
			in.Severity = "apocalyptic"
			return in
		}, apperr.Invalid, "severity", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := log.Head(ctx)
			res, err := svc.Ingest(ctx, "test", tc.in())
			if tc.code == "" {
				if err != nil || res.GridID != tc.grid {
					t.Errorf("got %+v, %v; want grid %s", res, err, tc.grid)
				}
				return
			}
			var ae *apperr.Error
			if !apperr.Is(err, tc.code) || !errors.As(err, &ae) || ae.Field != tc.field {
				t.Errorf("err = %v, want %s on field %s", err, tc.code, tc.field)
			}
			if after, _ := log.Head(ctx); after.Seq != before.Seq {
				t.Errorf("a refused event changed the log: seq %d → %d", before.Seq, after.Seq)
			}
		})
	}
}

func TestIngestBatchKeepsGoodItems(t *testing.T) {
	ctx := testsvc.Context(t)
	svc, log := mustService(t)
	g := mustDistrict(t).Grids[5]
	good, _ := json.Marshal(hotline(t, "b-1", g))
	bad := json.RawMessage(`{"kind":"hotline","source_id":"b-2","nonsense":1}`)
	good2, _ := json.Marshal(hotline(t, "b-3", g))
	res, err := svc.IngestBatch(ctx, "hotline12345", []json.RawMessage{good, bad, good2})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || res[2].Err != nil || !apperr.Is(res[1].Err, apperr.Invalid) {
		t.Fatalf("results %+v", res)
	}
	if res[0].Seq != 1 || res[2].Seq != 2 {
		t.Errorf("seqs %d, %d; want 1, 2", res[0].Seq, res[2].Seq)
	}
	if h, _ := log.Head(ctx); h.Seq != 2 {
		t.Errorf("log head %d, want 2", h.Seq)
	}
}

func TestIngestRedisDownIsUnavailable(t *testing.T) {
	srv := testsvc.StartRedis(t)
	rdb, err := redisbus.Open(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	zone, _ := time.LoadLocation("Asia/Shanghai")
	d := mustDistrict(t)
	svc := ingest.New(d, redisbus.NewLog(rdb, redisbus.NewKeys("down:"), time.Hour), zone)
	srv.Kill()
	_, err = svc.Ingest(testsvc.Context(t), "hotline12345", hotline(t, "x", d.Grids[0]))
	if !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("err = %v, want unavailable (503), never a 2xx", err)
	}
}

// TestIngestStartsTheCase: with the workflow's intake wired in (as main
// does), the reported record carries the event's SLA deadlines, counted
// from the report, so no screen needs its own copy of the policy; and the
// same append queued those deadlines and noted the dispute in its grid, so
// no event is ever open without its clocks running. A re-send changes
// nothing.
func TestIngestStartsTheCase(t *testing.T) {
	ctx := testsvc.Context(t)
	svc, log := mustService(t)
	cases := redisbus.NewCaseStore(log, redisbus.CaseOptions{})
	svc.IntakeWith((&workflow.Rules{SLA: workflow.DefaultPolicy}).Intake)
	g := mustDistrict(t).Grids[7]
	in := hotline(t, "call-clocks", g)
	res, err := svc.Ingest(ctx, "hotline12345", in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Ingest(ctx, "hotline12345", in); err != nil {
		t.Fatal(err)
	}
	recs, err := log.Range(ctx, res.Seq-1, res.Seq)
	if err != nil || len(recs) != 1 {
		t.Fatalf("log holds %+v, %v", recs, err)
	}
	e := recs[0].Event
	want := e
	want.RespondBy, want.CloseBy = time.Time{}, time.Time{}
	if !workflow.DefaultPolicy.StartClocks(&want) {
		t.Fatal("the policy would not start the clocks of a fresh event")
	}
	if e.RespondBy.IsZero() || !e.RespondBy.Equal(want.RespondBy) || !e.CloseBy.Equal(want.CloseBy) {
		t.Errorf("deadlines respond_by %v close_by %v, want %v and %v", e.RespondBy, e.CloseBy, want.RespondBy, want.CloseBy)
	}
	queued, err := cases.Claim(ctx, e.CloseBy, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	// The queue keeps milliseconds.
	if len(queued) != 2 || queued[0].Due.UnixMilli() != e.RespondBy.UnixMilli() || queued[1].Due.UnixMilli() != e.CloseBy.UnixMilli() {
		t.Errorf("queued deadlines %+v, want respond at %v and close at %v", queued, e.RespondBy, e.CloseBy)
	}
	ids, err := cases.Disputes(ctx, g.ID, e.ReportedAt)
	if err != nil || len(ids) != 1 || ids[0] != res.ID {
		t.Errorf("grid's recent disputes %v, %v; want [%s]", ids, err, res.ID)
	}
}
