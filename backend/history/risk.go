package history

import (
	"sort"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// A grid's risk level tells the Friday review where trouble is building up.
// It is a score from what is open in the grid now:
//
//	score = Σ severity weight of each open event   (low 1, medium 2, high 3, critical 5)
//	      + 2 × open events past their SLA
//	      + 3 × disputes of the last 30 days that came back: a dispute
//	            reported within 30 days after an earlier one in the same grid
//
// and the level is none (0), low (1–5), medium (6–14) or high (15 and more).
// A grid with one critical open case past its SLA is medium (5 + 2); three
// disputes in a month make it medium on their own (2 comebacks × 3).
const (
	OverdueWeight  = 2
	ComebackWeight = 3
	// ComebackWindow is how soon a dispute must follow an earlier one in
	// the same grid to count as the same trouble coming back; it is also how
	// far back comebacks are counted.
	ComebackWindow = 30 * 24 * time.Hour
)

// SeverityWeight is the weight of an open event of severity s in the risk
// score.
func SeverityWeight(s event.Severity) int64 {
	switch s {
	case event.Low:
		return 1
	case event.Medium:
		return 2
	case event.High:
		return 3
	case event.Critical:
		return 5
	}
	return 1
}

// RiskLevel names a score band.
type RiskLevel string

// The levels.
const (
	RiskNone   RiskLevel = "none"
	RiskLow    RiskLevel = "low"
	RiskMedium RiskLevel = "medium"
	RiskHigh   RiskLevel = "high"
)

// LevelOf returns the level of a score.
func LevelOf(score int64) RiskLevel {
	switch {
	case score >= 15:
		return RiskHigh
	case score >= 6:
		return RiskMedium
	case score >= 1:
		return RiskLow
	}
	return RiskNone
}

// GridRisk is one grid's risk now, with the parts of its score.
type GridRisk struct {
	GridID    string    `json:"grid_id"`
	Open      int64     `json:"open"`
	Overdue   int64     `json:"overdue"`
	Comebacks int64     `json:"comebacks"`
	Score     int64     `json:"score"`
	Level     RiskLevel `json:"level"`
}

// Risks scores every grid that has open events or disputes that came back.
// disputes are the grids' dispute report times over at least the last two
// comeback windows (oldest first); now is the moment scored.
func Risks(load []OpenLoad, disputes []Occurrence, now time.Time) map[string]*GridRisk {
	out := map[string]*GridRisk{}
	get := func(id string) *GridRisk {
		r, ok := out[id]
		if !ok {
			r = &GridRisk{GridID: id}
			out[id] = r
		}
		return r
	}
	for _, l := range load {
		r := get(l.GridID)
		r.Open += l.Open
		r.Overdue += l.Overdue
		r.Score += SeverityWeight(l.Severity)*l.Open + OverdueWeight*l.Overdue
	}
	since := now.Add(-ComebackWindow)
	for _, o := range disputes {
		if n := comebacks(o.Times, since); n > 0 {
			r := get(o.Place)
			r.Comebacks += n
			r.Score += ComebackWeight * n
		}
	}
	for _, r := range out {
		r.Level = LevelOf(r.Score)
	}
	return out
}

// comebacks counts the times at or after since that follow an earlier time
// by at most ComebackWindow.
func comebacks(times []time.Time, since time.Time) int64 {
	sorted := sort.SliceIsSorted(times, func(i, j int) bool { return times[i].Before(times[j]) })
	if !sorted {
		times = append([]time.Time(nil), times...)
		sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	}
	var n int64
	for i := 1; i < len(times); i++ {
		if !times[i].Before(since) && times[i].Sub(times[i-1]) <= ComebackWindow {
			n++
		}
	}
	return n
}
