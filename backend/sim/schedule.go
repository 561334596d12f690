package sim

import (
	"math/rand/v2"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// Arrival is one event due at a simulated time.
type Arrival struct {
	At   time.Time
	Kind event.Kind
}

// Schedule draws the arrivals of all kinds in time order: a non-homogeneous
// Poisson process per kind, merged. It is deterministic for a given seed and
// start, which the rate tests rely on.
type Schedule struct {
	m     *Model
	rng   *rand.Rand
	t     time.Time
	bound float64 // events per hour, at least the sum of every kind's rate at any time
}

// NewSchedule starts a schedule at start.
func NewSchedule(m *Model, rng *rand.Rand, start time.Time) *Schedule {
	s := &Schedule{m: m, rng: rng, t: start}
	for i := range m.Kinds {
		s.bound += m.Kinds[i].peakHourR
	}
	return s
}

// Next returns the next arrival. It uses thinning (Lewis and Shedler):
// candidates arrive at the constant bound rate, and one at time t is kept
// with probability rate(t)/bound, for the kind whose slice of the bound the
// uniform draw falls in.
func (s *Schedule) Next() Arrival {
	for {
		gap := s.rng.ExpFloat64() / s.bound // hours
		s.t = s.t.Add(time.Duration(gap * float64(time.Hour)))
		u := s.rng.Float64() * s.bound
		for i := range s.m.Kinds {
			r := s.m.PerHour(i, s.t)
			if u < r {
				return Arrival{At: s.t, Kind: s.m.Kinds[i].Kind}
			}
			u -= r
		}
	}
}
