package history

import (
	"math"

	"github.com/gridcc/gridcc/backend/event"
)

// The KPIs of the review screens. Every one of them is computed for the
// events *reported* in a period (a cohort), whatever happened to them
// afterwards, so a week's figures mean the same thing on every screen:
//
//   - closure rate 办结率 = events done now ÷ events reported;
//   - on-time rate = closings within the SLA ÷ closings;
//   - handling time = closing time − report time (median and p90);
//   - satisfaction 满意率 = ratings of 4–5 ÷ ratings.
//
// "Done" is a terminal state (closed, rated, merged into another case, an
// acknowledged alert). A "closing" is a change that makes a case done other
// than by merging it: a duplicate merged into its original was not handled.
// A case reopened and closed again is done once (DoneDelta is signed) but
// has two closings, each judged against the SLA on its own.

// DoneDelta is +1 when c makes its event done, −1 when it undoes that (a
// reopened case), 0 otherwise. The sum over an event's changes is 1 exactly
// when the event is done now, which is what makes the closure rate additive.
func DoneDelta(c event.Change) int8 {
	was, is := c.From.Terminal(), c.To.Terminal()
	switch {
	case is && !was:
		return 1
	case was && !is:
		return -1
	}
	return 0
}

// IsClosing reports whether c closes its case: it makes the event done, and
// not by merging it into another.
func IsClosing(c event.Change) bool {
	return DoneDelta(c) == 1 && c.To != event.Merged
}

// Satisfied reports whether a citizen's rating counts as satisfied (4 or 5 of 5).
func Satisfied(rating uint8) bool { return rating >= 4 }

// Figures are the KPIs of one period (and filter), as counts with the rates
// derived from them. A rate or time is nil when its denominator is zero:
// "no closings" is not "0 % on time".
type Figures struct {
	Reported  int64                `json:"reported"`  // events reported in the period
	ByKind    map[event.Kind]int64 `json:"by_kind"`   // Reported per kind; every kind present
	Done      int64                `json:"done"`      // of those, done now
	Closings  int64                `json:"closings"`  // their closings (a reopened case may close twice)
	OnTime    int64                `json:"on_time"`   // closings within the SLA
	Ratings   int64                `json:"ratings"`   // citizens' ratings given to them
	Satisfied int64                `json:"satisfied"` // ratings of 4 or 5

	ClosureRate  *float64 `json:"closure_rate"`   // Done ÷ Reported, 0–1
	OnTimeRate   *float64 `json:"on_time_rate"`   // OnTime ÷ Closings, 0–1
	Satisfaction *float64 `json:"satisfaction"`   // Satisfied ÷ Ratings, 0–1
	HandlingP50  *float64 `json:"handling_p50_s"` // median closing time − report time, seconds
	HandlingP90  *float64 `json:"handling_p90_s"` // 90th percentile, seconds
}

// finish fills the rates from the counts and makes sure every kind has an
// entry in ByKind. The store fills the counts and the handling quantiles.
func (f *Figures) finish() {
	if f.ByKind == nil {
		f.ByKind = map[event.Kind]int64{}
	}
	for _, k := range event.Kinds {
		f.ByKind[k] += 0
	}
	f.ClosureRate = ratio(f.Done, f.Reported)
	f.OnTimeRate = ratio(f.OnTime, f.Closings)
	f.Satisfaction = ratio(f.Satisfied, f.Ratings)
	if f.Closings == 0 {
		f.HandlingP50, f.HandlingP90 = nil, nil
	}
}

func ratio(num, den int64) *float64 {
	if den == 0 {
		return nil
	}
	r := float64(num) / float64(den)
	return &r
}

// Change compares a period's figures with a reference period: counts and
// times as a percentage change, rates as a difference in percentage points
// (the article's "down 14.15 % year on year" is a percentage change; "the
// closure rate rose 1.2 points" is a difference). A field is nil when the
// reference has nothing to compare with.
type Change struct {
	ReportedPct    *float64                `json:"reported_pct"`
	ByKindPct      map[event.Kind]*float64 `json:"by_kind_pct"`
	ClosureRatePP  *float64                `json:"closure_rate_pp"`
	OnTimeRatePP   *float64                `json:"on_time_rate_pp"`
	SatisfactionPP *float64                `json:"satisfaction_pp"`
	HandlingP50Pct *float64                `json:"handling_p50_pct"`
	HandlingP90Pct *float64                `json:"handling_p90_pct"`
}

// Compare returns the change from ref to cur.
func Compare(cur, ref Figures) Change {
	c := Change{
		ReportedPct:    pctChange(float64(cur.Reported), float64(ref.Reported), ref.Reported != 0),
		ByKindPct:      make(map[event.Kind]*float64, len(event.Kinds)),
		ClosureRatePP:  pointsChange(cur.ClosureRate, ref.ClosureRate),
		OnTimeRatePP:   pointsChange(cur.OnTimeRate, ref.OnTimeRate),
		SatisfactionPP: pointsChange(cur.Satisfaction, ref.Satisfaction),
		HandlingP50Pct: pctOfPtr(cur.HandlingP50, ref.HandlingP50),
		HandlingP90Pct: pctOfPtr(cur.HandlingP90, ref.HandlingP90),
	}
	for _, k := range event.Kinds {
		c.ByKindPct[k] = pctChange(float64(cur.ByKind[k]), float64(ref.ByKind[k]), ref.ByKind[k] != 0)
	}
	return c
}

// PctChange is (cur − ref) ÷ ref × 100, rounded to 0.01; nil when ref is 0.
func PctChange(cur, ref int64) *float64 {
	return pctChange(float64(cur), float64(ref), ref != 0)
}

func pctChange(cur, ref float64, ok bool) *float64 {
	if !ok || ref == 0 {
		return nil
	}
	v := round2((cur - ref) / ref * 100)
	return &v
}

func pctOfPtr(cur, ref *float64) *float64 {
	if cur == nil || ref == nil {
		return nil
	}
	return pctChange(*cur, *ref, true)
}

func pointsChange(cur, ref *float64) *float64 {
	if cur == nil || ref == nil {
		return nil
	}
	v := round2((*cur - *ref) * 100)
	return &v
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
