package workflow_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

func timelineActions(tl []event.Change) []string {
	var out []string
	for _, c := range tl {
		out = append(out, c.Action)
	}
	return out
}

// TestMergeKeepsTimelines: a hotline call and a camera alert about the same
// fight are suggested as duplicates, merged, and both keep their sources and
// timelines.
func TestMergeKeepsTimelines(t *testing.T) {
	env := newEnv(t)
	ctx := testsvc.Context(t)
	call := newEvent("call", event.Hotline, "dispute", event.High)
	call.CallerPhone = "13800001111"
	cam := metresNorth(newEvent("cam", event.CameraAlert, "fight", event.High), 40)
	cam.OccurredAt = call.OccurredAt.Add(5 * time.Minute)
	env.report(t, call, cam, metresNorth(newEvent("far", event.GridEvent, "dispute", event.High), 500))
	env.act(t, "call", workflow.Request{Action: workflow.Comment, Reason: "来电人称楼下有人打架"})
	env.act(t, "cam", workflow.Request{Action: workflow.Comment, Reason: "视频确认"})

	d, err := env.svc.Detail(ctx, "call", allowAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Suggestions) != 1 || d.Suggestions[0].EventID != "cam" || d.Suggestions[0].Match != "dispute" {
		t.Fatalf("suggestions %+v", d.Suggestions)
	}
	res := env.act(t, "cam", workflow.Request{Action: workflow.Merge, Into: "call", Reason: "同一起打架"})
	if res.Event.Status != event.Merged || res.Event.MergedInto != "call" || res.Into == nil || !slices.Equal(res.Into.Merged, []string{"cam"}) {
		t.Fatalf("merge result %+v", res)
	}
	d, err = env.svc.Detail(ctx, "call", allowAll)
	if err != nil {
		t.Fatal(err)
	}
	if got := timelineActions(d.Timeline); !slices.Equal(got, []string{"", "comment", "absorb"}) {
		t.Errorf("case timeline %v", got)
	}
	if len(d.Merged) != 1 || d.Merged[0].Event.CameraID != "CAM-000001" ||
		!slices.Equal(timelineActions(d.Merged[0].Timeline), []string{"", "comment", "merge"}) {
		t.Fatalf("merged sources %+v", d.Merged)
	}
	if d.Event.CallerPhone != "13800001111" || len(d.Suggestions) != 0 {
		t.Errorf("case %+v suggestions %v", d.Event, d.Suggestions)
	}
	// The merged event is done; merging into it is refused.
	_, err = env.svc.Act(ctx, "far", workflow.Request{Action: workflow.Merge, Into: "cam"}, "officer", allowAll)
	if ae := wantCode(t, err, apperr.Conflict); ae.Field != "into" {
		t.Fatalf("merge into a merged event: %v", err)
	}
}

// TestLongTermCare: closing the third dispute of a grid within 30 days
// gives the grid worker a week of daily follow-ups, listed until done.
func TestLongTermCare(t *testing.T) {
	env := newEnv(t)
	ctx := testsvc.Context(t)
	var disputes []event.Event
	for i, id := range []string{"d1", "d2", "d3"} {
		e := newEvent(id, event.GridEvent, "dispute", event.High)
		e.ReportedAt = t0.Add(time.Duration(i) * time.Hour)
		disputes = append(disputes, e)
	}
	other := newEvent("o", event.GridEvent, "dispute", event.High)
	other.GridID = "411602001-002"
	env.report(t, append(disputes, other)...)
	tm := env.timer(env.store, workflow.TimerOptions{}, func() time.Time { return t0.Add(3 * time.Hour) })
	if err := tm.Tick(ctx); err != nil { // notes the disputes per grid
		t.Fatal(err)
	}
	closeCase := func(id string) workflow.Result {
		t.Helper()
		var res workflow.Result
		for _, req := range []workflow.Request{{Action: workflow.Dispatch, Target: grid1}, {Action: workflow.Accept},
			{Action: workflow.Start}, {Action: workflow.Resolve, Reason: "调解成功"}, {Action: workflow.Close}} {
			res = env.act(t, id, req)
		}
		return res
	}
	env.clock.Set(t0.Add(4 * time.Hour))
	if res := closeCase("o"); res.Care != nil {
		t.Fatalf("a lone dispute got care: %+v", res.Care)
	}
	res := closeCase("d3")
	if res.Care == nil || len(res.Care.FollowUps) != 7 || res.Care.Worker != grid1 {
		t.Fatalf("care %+v", res.Care)
	}
	list, err := env.svc.FollowUps(ctx, street1, grid1, allowAll)
	if err != nil || len(list) != 1 || list[0].Pending() != 7 {
		t.Fatalf("follow-ups %+v, %v", list, err)
	}
	first := res.Care.FollowUps[0].ID
	done := env.act(t, "d3", workflow.Request{Action: workflow.FollowUpDone, Target: first, Reason: "回访：双方关系缓和"})
	if done.Care.Pending() != 6 || done.Event.Status != event.Closed {
		t.Fatalf("after one follow-up %+v", done)
	}
	_, err = env.svc.Act(ctx, "d3", workflow.Request{Action: workflow.FollowUpDone, Target: first}, "officer", allowAll)
	wantCode(t, err, apperr.Conflict)
	d, err := env.svc.Detail(ctx, "d3", allowAll)
	if err != nil || d.Care == nil || d.Care.Pending() != 6 {
		t.Fatalf("detail care %+v, %v", d.Care, err)
	}
	for _, f := range res.Care.FollowUps[1:] {
		env.act(t, "d3", workflow.Request{Action: workflow.FollowUpDone, Target: f.ID})
	}
	if list, _ := env.svc.FollowUps(ctx, "", "", allowAll); len(list) != 0 {
		t.Fatalf("finished care still listed: %+v", list)
	}
}
