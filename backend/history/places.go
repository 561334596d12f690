package history

import (
	"context"
	"sort"
	"time"
)

// Hotspot is a street or grid with its count in the period and in the
// period before.
type Hotspot struct {
	Key       string   `json:"key"` // street_code or grid_id
	Count     int64    `json:"count"`
	Previous  int64    `json:"previous"`
	ChangePct *float64 `json:"change_pct"` // null when the previous period had none
}

// Hotspots lists the places with the most events.
type Hotspots struct {
	Filter   Filter    `json:"filter"`
	Period   Period    `json:"period"`
	Previous Period    `json:"previous"`
	Level    Dimension `json:"level"` // street or grid
	Items    []Hotspot `json:"items"` // most events first
}

// Hotspots returns the top streets or grids of p (level ByStreet or ByGrid)
// with their change against the previous period.
func (s *Stats) Hotspots(ctx context.Context, f Filter, p Period, level Dimension, top int) (Hotspots, error) {
	periods := [2]Period{p, p.Previous()}
	var counts [2]map[string]int64
	err := parallel(2, func(i int) (err error) {
		counts[i], err = s.r.Counts(ctx, f, periods[i], level)
		return err
	})
	if err != nil {
		return Hotspots{}, err
	}
	h := Hotspots{Filter: f, Period: p, Previous: periods[1], Level: level, Items: []Hotspot{}}
	for _, kc := range rank(counts[0], top) {
		prev := counts[1][kc.Key]
		h.Items = append(h.Items, Hotspot{Key: kc.Key, Count: kc.Count, Previous: prev, ChangePct: PctChange(kc.Count, prev)})
	}
	return h, nil
}

// Recurring is a place where the same category of trouble came back: the
// "long-term care" 长效关怀 list of the review meeting.
type Recurring struct {
	Place       string    `json:"place"` // grid id or address
	GridID      string    `json:"grid_id"`
	Count       int64     `json:"count"`         // events in the period
	MaxInWindow int64     `json:"max_in_window"` // most events within any window of the given days
	WindowFrom  time.Time `json:"window_from"`   // the first such window
	WindowTo    time.Time `json:"window_to"`
	Last        time.Time `json:"last"` // the latest event
}

// RecurringList is the answer of the recurring endpoint.
type RecurringList struct {
	Category   string      `json:"category"`
	Street     string      `json:"street,omitempty"`
	Period     Period      `json:"period"`
	At         Place       `json:"at"`
	Times      int         `json:"times"`
	WithinDays int         `json:"within_days"`
	Items      []Recurring `json:"items"` // most events in a window first
}

// Recurring returns the places where at least times events of category
// were reported within withinDays days of each other in p.
func (s *Stats) Recurring(ctx context.Context, category, street string, p Period, at Place, times, withinDays, top int) (RecurringList, error) {
	occ, err := s.r.Occurrences(ctx, category, street, p, at, times)
	if err != nil {
		return RecurringList{}, err
	}
	window := time.Duration(withinDays) * 24 * time.Hour
	out := RecurringList{Category: category, Street: street, Period: p, At: at, Times: times, WithinDays: withinDays, Items: []Recurring{}}
	for _, o := range occ {
		n, from, to := densestWindow(o.Times, window)
		if n < int64(times) {
			continue
		}
		out.Items = append(out.Items, Recurring{Place: o.Place, GridID: o.GridID, Count: int64(len(o.Times)),
			MaxInWindow: n, WindowFrom: from, WindowTo: to, Last: o.Times[len(o.Times)-1]})
	}
	sort.Slice(out.Items, func(i, j int) bool {
		a, b := out.Items[i], out.Items[j]
		if a.MaxInWindow != b.MaxInWindow {
			return a.MaxInWindow > b.MaxInWindow
		}
		if !a.Last.Equal(b.Last) {
			return a.Last.After(b.Last)
		}
		return a.Place < b.Place
	})
	if len(out.Items) > top {
		out.Items = out.Items[:top]
	}
	return out, nil
}

// densestWindow returns the largest number of sorted times within any span
// of length w, and the first and last time of the first such span.
func densestWindow(times []time.Time, w time.Duration) (n int64, from, to time.Time) {
	lo := 0
	for hi := range times {
		for times[hi].Sub(times[lo]) > w {
			lo++
		}
		if c := int64(hi - lo + 1); c > n {
			n, from, to = c, times[lo], times[hi]
		}
	}
	return n, from, to
}

// Cell is one grid of the heatmap.
type Cell struct {
	GridID string    `json:"grid_id"`
	Count  int64     `json:"count"`
	Risk   *GridRisk `json:"risk,omitempty"`
}

// Heatmap is the count per grid of a period, for the choropleth, with each
// grid's risk now when asked for.
type Heatmap struct {
	Filter Filter `json:"filter"`
	Period Period `json:"period"`
	Max    int64  `json:"max"`   // the largest count, for the colour scale
	Cells  []Cell `json:"cells"` // grids with events or risk, by grid id
}

// Heatmap returns the counts per grid of p; with risk, also every grid's
// risk level now (which does not depend on p).
func (s *Stats) Heatmap(ctx context.Context, f Filter, p Period, risk bool) (Heatmap, error) {
	var counts map[string]int64
	var risks map[string]*GridRisk
	err := parallel(2, func(i int) (err error) {
		if i == 0 {
			counts, err = s.r.Counts(ctx, f, p, ByGrid)
		} else if risk {
			risks, err = s.Risks(ctx)
		}
		return err
	})
	if err != nil {
		return Heatmap{}, err
	}
	h := Heatmap{Filter: f, Period: p, Cells: []Cell{}}
	for id, n := range counts {
		h.Cells = append(h.Cells, Cell{GridID: id, Count: n, Risk: risks[id]})
		h.Max = max(h.Max, n)
	}
	for id, r := range risks {
		if _, ok := counts[id]; !ok {
			h.Cells = append(h.Cells, Cell{GridID: id, Risk: r})
		}
	}
	sort.Slice(h.Cells, func(i, j int) bool { return h.Cells[i].GridID < h.Cells[j].GridID })
	return h, nil
}

// Risks scores every grid with something open or recurring now.
func (s *Stats) Risks(ctx context.Context) (map[string]*GridRisk, error) {
	now := s.now()
	today := DateOf(now, s.zone)
	// Two windows back: a dispute at the start of the last window may come
	// back from one in the window before.
	recent := Period{From: today.AddDays(-2 * int(ComebackWindow.Hours()/24)), To: today}
	var load []OpenLoad
	var disputes []Occurrence
	err := parallel(2, func(i int) (err error) {
		if i == 0 {
			load, err = s.r.OpenLoad(ctx, now)
		} else {
			disputes, err = s.r.Occurrences(ctx, "dispute", "", recent, AtGrid, 2)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return Risks(load, disputes, now), nil
}
