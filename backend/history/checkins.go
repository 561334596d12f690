package history

import (
	"context"
	"math"
	"sort"
	"time"
)

// Whistle and report (吹哨报到): a street summons departments to a case and
// each must check in on scene before its own deadline. The case workflow
// writes three changes for it (docs/workflow.md), which the history keeps:
//
//   - `whistle`, target the summoned departments comma-separated;
//   - `checkin_missed`, target one department: its deadline passed (the SLA
//     timer writes it at the deadline, within a tick);
//   - `checkin`, target one department: it is on scene, in time or late.
//
// Each summons of a department ends as exactly one of: on time (checked in,
// no miss before), late (checked in after a miss), missed (a miss and no
// check-in yet) or pending (neither yet: its deadline has not come). The
// workflow lets a department that missed be summoned again; the earlier
// summons then stays missed. The deadline itself is judged by the workflow,
// so the review counts exactly what the wall and the console showed.

// The change actions of whistle and report.
const (
	ActionWhistle       = "whistle"
	ActionCheckIn       = "checkin"
	ActionCheckInMissed = "checkin_missed"
)

// SummonsStep is one whistle, check-in or miss of one department on one
// case, as the history stores it (a whistle gives one step per department).
type SummonsStep struct {
	EventID    string
	Department string
	Seq        uint64
	At         time.Time
	Action     string
}

// DepartmentCheckins is one department's check-in performance.
type DepartmentCheckins struct {
	Department string   `json:"department"` // directory id; the screens have the names from /api/v1/directory
	Summoned   int64    `json:"summoned"`
	OnTime     int64    `json:"on_time"`
	Late       int64    `json:"late"`
	Missed     int64    `json:"missed"`
	Pending    int64    `json:"pending"`
	OnTimeRate *float64 `json:"on_time_rate"` // on time ÷ (on time + late + missed); null when none is decided
	MedianS    *float64 `json:"median_s"`     // median time from the whistle to the check-in, seconds
	P90S       *float64 `json:"p90_s"`
}

// Checkins is the check-in performance per department for the cases
// reported in a period.
type Checkins struct {
	Filter      Filter               `json:"filter"`
	Period      Period               `json:"period"`
	Departments []DepartmentCheckins `json:"departments"` // most summoned first
	Total       DepartmentCheckins   `json:"total"`       // every department together (department "")
}

// Checkins returns the check-in performance per department for the cases
// reported in p that match f.
func (s *Stats) Checkins(ctx context.Context, f Filter, p Period) (Checkins, error) {
	steps, err := s.r.Summonses(ctx, f, p)
	if err != nil {
		return Checkins{}, err
	}
	deps, total := CheckinPerformance(steps)
	return Checkins{Filter: f, Period: p, Departments: deps, Total: total}, nil
}

// summons is one department's open summons to one case while the steps are
// folded.
type summons struct {
	at     time.Time
	missed bool
}

// tally collects one department's outcomes.
type tally struct {
	row    DepartmentCheckins
	delays []time.Duration
}

func (t *tally) settle(s *summons, checkedIn *time.Time) {
	t.row.Summoned++
	switch {
	case checkedIn == nil && s.missed:
		t.row.Missed++
	case checkedIn == nil:
		t.row.Pending++
	case s.missed:
		t.row.Late++
	default:
		t.row.OnTime++
	}
	if checkedIn != nil {
		t.delays = append(t.delays, max(checkedIn.Sub(s.at), 0))
	}
}

func (t *tally) finish() DepartmentCheckins {
	r := t.row
	r.OnTimeRate = ratio(r.OnTime, r.OnTime+r.Late+r.Missed)
	if len(t.delays) > 0 {
		sort.Slice(t.delays, func(i, j int) bool { return t.delays[i] < t.delays[j] })
		r.MedianS = seconds(quantile(t.delays, 0.5))
		r.P90S = seconds(quantile(t.delays, 0.9))
	}
	return r
}

// CheckinPerformance folds the steps, ordered by case, department and seq,
// into each department's outcomes (most summoned first, then by id) and
// the total over all of them. A check-in or miss without an open summons
// (its whistle lies outside the data) is ignored.
func CheckinPerformance(steps []SummonsStep) ([]DepartmentCheckins, DepartmentCheckins) {
	byDept := map[string]*tally{}
	var all tally
	var open *summons
	flush := func(dept string) {
		if open == nil {
			return
		}
		byDept[dept].settle(open, nil)
		all.settle(open, nil)
		open = nil
	}
	for i, st := range steps {
		if i > 0 && (st.EventID != steps[i-1].EventID || st.Department != steps[i-1].Department) {
			flush(steps[i-1].Department)
		}
		if byDept[st.Department] == nil {
			byDept[st.Department] = &tally{row: DepartmentCheckins{Department: st.Department}}
		}
		switch st.Action {
		case ActionWhistle:
			flush(st.Department) // summoned again after a miss: the earlier summons stays missed
			open = &summons{at: st.At}
		case ActionCheckInMissed:
			if open != nil {
				open.missed = true
			}
		case ActionCheckIn:
			if open != nil {
				at := st.At
				byDept[st.Department].settle(open, &at)
				all.settle(open, &at)
				open = nil
			}
		}
	}
	if len(steps) > 0 {
		flush(steps[len(steps)-1].Department)
	}
	out := make([]DepartmentCheckins, 0, len(byDept))
	for _, t := range byDept {
		if t.row.Summoned > 0 {
			out = append(out, t.finish())
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Summoned != out[j].Summoned {
			return out[i].Summoned > out[j].Summoned
		}
		return out[i].Department < out[j].Department
	})
	return out, all.finish()
}

// quantile returns the nearest-rank q-quantile of sorted, non-empty ds.
func quantile(ds []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(ds)))) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}

func seconds(d time.Duration) *float64 {
	v := d.Seconds()
	return &v
}
