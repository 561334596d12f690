package main

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/workflow"
)

// step is one change of a case after (or at) its report.
type step struct {
	at     time.Time
	to     event.Status
	action string
	actor  string
	target string
	rating uint8
}

// lognormal returns a duration with the given median and spread (σ of the
// logarithm): waiting times in offices look like this, with a long tail.
func lognormal(r *rand.Rand, median time.Duration, sigma float64) time.Duration {
	return time.Duration(float64(median) * math.Exp(sigma*r.NormFloat64()))
}

// lifecycle returns the case's whole life, report first, in the shape the
// case workflow writes: 派单 dispatch, 接单 accept, sometimes 吹哨 whistle
// with the departments' check-ins (h names them, from the directory),
// 处置 resolve, 办结 close, 评价 rate; a few are merged as duplicates,
// reopened, or stay open for weeks. progress (0 at the start of the
// history, 1 at its end) lets the district get a little faster over time.
func lifecycle(r *rand.Rand, ev *event.Event, sla time.Duration, progress float64, h handlers) []step {
	t := ev.ReportedAt
	steps := []step{{at: t, to: event.Reported, actor: "ingest"}}
	add := func(after time.Duration, s step) {
		t = t.Add(max(after, time.Second))
		s.at = t
		steps = append(steps, s)
	}
	duty := "duty-0" + string(rune('1'+r.IntN(6)))
	switch ev.Kind {
	case event.CameraAlert, event.Warning:
		median := 3 * time.Minute
		if ev.Kind == event.Warning {
			median = 6 * time.Minute
		}
		if ev.Severity == event.Critical {
			median /= 2
		}
		add(lognormal(r, median, 0.8), step{to: event.Acknowledged, action: "acknowledge", actor: duty})
		return steps
	}
	merge := 0.005
	if ev.Kind == event.Hotline {
		merge = 0.015
	}
	if r.Float64() < merge {
		add(20*time.Minute+time.Duration(r.IntN(40))*time.Minute, step{to: event.Merged, action: "merge", actor: duty})
		return steps
	}
	dept := h.dispatch(ev.Category, ev.StreetCode)
	dispatchMedian := 25 * time.Minute
	if ev.Kind == event.GridEvent {
		dispatchMedian = 12 * time.Minute
	}
	add(lognormal(r, dispatchMedian, 0.6), step{to: event.Dispatched, action: "dispatch", actor: duty, target: dept})
	add(lognormal(r, 20*time.Minute, 0.7), step{to: event.Accepted, action: "accept", actor: dept})
	whistle := 0.03
	if ev.Category == "dispute" && ev.Severity.Rank() >= 3 {
		whistle = 0.15
	}
	if r.Float64() < whistle {
		// 吹哨: the street summons departments; each checks in on scene,
		// late, or not at all (the SLA timer records the miss at the
		// deadline). The case goes on from escalated to resolved.
		summoned := h.whistle(r, ev.Category, ev.StreetCode)
		add(lognormal(r, 2*time.Hour, 0.5), step{to: event.Escalated, action: "whistle",
			actor: directory.StreetCenter(ev.StreetCode), target: strings.Join(summoned, ",")})
		for _, s := range checkIns(r, t, summoned, h) {
			add(s.at.Sub(t), s)
		}
	} else {
		add(time.Duration(5+r.IntN(25))*time.Minute, step{to: event.InProgress, action: "start", actor: dept})
	}
	// Handling takes a share of the SLA: median 38 % at the start of the
	// history, 30 % at its end; about one case in ten is late.
	share := 0.38 - 0.08*progress
	handling := time.Duration(float64(sla) * share * math.Exp(0.75*r.NormFloat64()))
	if r.Float64() < 0.012 { // stuck: waits on another department for weeks
		handling *= time.Duration(6 + r.IntN(15))
	}
	resolveAt := ev.ReportedAt.Add(handling)
	add(resolveAt.Sub(t), step{to: event.Resolved, action: "resolve", actor: dept})
	add(lognormal(r, 2*time.Hour, 0.8), step{to: event.Closed, action: "close", actor: duty})
	late := t.Sub(ev.ReportedAt) > sla
	if r.Float64() < 0.01 {
		add(24*time.Hour+time.Duration(r.IntN(48))*time.Hour, step{to: event.Reopened, action: "reopen", actor: "citizen"})
		add(lognormal(r, 24*time.Hour, 0.5), step{to: event.Resolved, action: "resolve", actor: dept})
		add(lognormal(r, 2*time.Hour, 0.5), step{to: event.Closed, action: "close", actor: duty})
		late = true
	}
	rated := 0.45
	if ev.Kind == event.Hotline {
		rated = 0.75
	}
	if r.Float64() < rated {
		add(lognormal(r, 6*time.Hour, 0.7), step{to: event.Rated, action: "rate", actor: "citizen", rating: rating(r, late)})
	}
	return steps
}

// checkIns returns what the summoned departments do after a whistle at
// at, in time order: each needs a share of its on-scene deadline typical of
// it (punctuality) with some spread; past the deadline the miss is
// recorded first and the late check-in after it; one in 25 never comes.
func checkIns(r *rand.Rand, at time.Time, summoned []string, h handlers) []step {
	var out []step
	for _, id := range summoned {
		limit := h.onScene(id)
		due := at.Add(limit)
		missed := step{at: due, to: event.Escalated, action: "checkin_missed", actor: workflow.SystemActor, target: id}
		if r.Float64() < 0.04 {
			out = append(out, missed)
			continue
		}
		came := at.Add(time.Duration(float64(limit) * punctuality(id) * math.Exp(0.45*r.NormFloat64())))
		if came.After(due) {
			out = append(out, missed)
		}
		out = append(out, step{at: came, to: event.Escalated, action: "checkin", actor: id, target: id})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}

// rating draws a citizen's 1–5 rating: mostly 5, rarely below 4, a little
// worse for late cases (the article reports 100 % satisfaction for grid
// events; the hotline is harder to please).
func rating(r *rand.Rand, late bool) uint8 {
	x := r.Float64()
	if late {
		x *= 0.93
	}
	switch {
	case x > 0.15:
		return 5
	case x > 0.018:
		return 4
	case x > 0.006:
		return 3
	case x > 0.002:
		return 2
	}
	return 1
}

// slaOf is the SLA the workflow would set for ev.
func slaOf(ev *event.Event) time.Duration {
	return history.DefaultSLAs.For(ev.Kind, ev.Category, ev.Severity)
}
