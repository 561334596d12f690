package history

import (
	"context"
	"sync"
	"time"
)

// Stats answers the review screens' questions (the /api/v1/stats
// endpoints) from a Reader: it adds the comparisons, fills gaps, ranks and
// scores. It is safe for concurrent use.
type Stats struct {
	r    Reader
	zone *time.Location
	now  func() time.Time
}

// NewStats returns the stats over r for a district in zone.
func NewStats(r Reader, zone *time.Location) *Stats {
	return &Stats{r: r, zone: zone, now: time.Now}
}

// Zone returns the district's time zone.
func (s *Stats) Zone() *time.Location { return s.zone }

// Today returns the district-local date now.
func (s *Stats) Today() Date { return DateOf(s.now(), s.zone) }

// PeriodFigures are the figures of one period.
type PeriodFigures struct {
	Period  Period  `json:"period"`
	Figures Figures `json:"figures"`
}

// Summary is the review's headline table: one period's figures, those of
// the period before and of the same period a year earlier, and the changes.
type Summary struct {
	Filter     Filter        `json:"filter"`
	Current    PeriodFigures `json:"current"`
	Previous   PeriodFigures `json:"previous"`
	YearAgo    PeriodFigures `json:"year_ago"`
	VsPrevious Change        `json:"vs_previous"`
	VsYearAgo  Change        `json:"vs_year_ago"`
}

// Summary returns the figures of p, compared with the previous period and
// the same period a year earlier.
func (s *Stats) Summary(ctx context.Context, f Filter, p Period) (Summary, error) {
	periods := [3]Period{p, p.Previous(), p.YearAgo()}
	var figs [3]Figures
	err := parallel(len(periods), func(i int) (err error) {
		figs[i], err = s.r.Figures(ctx, f, periods[i])
		figs[i].finish()
		return err
	})
	if err != nil {
		return Summary{}, err
	}
	return Summary{
		Filter:     f,
		Current:    PeriodFigures{periods[0], figs[0]},
		Previous:   PeriodFigures{periods[1], figs[1]},
		YearAgo:    PeriodFigures{periods[2], figs[2]},
		VsPrevious: Compare(figs[0], figs[1]),
		VsYearAgo:  Compare(figs[0], figs[2]),
	}, nil
}

// parallel runs fn(0…n−1) concurrently and returns the first error. The
// comparison periods are independent queries; running them side by side
// keeps the summary's latency that of its slowest query.
func parallel(n int, fn func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
