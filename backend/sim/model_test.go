package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

func shanghai(t testing.TB) *time.Location {
	t.Helper()
	zone, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return zone
}

// TestScheduleYear simulates 2025 with a fixed seed and checks the yearly
// totals, the mean per day and the day/night shape against the model.
func TestScheduleYear(t *testing.T) {
	zone := shanghai(t)
	m := DefaultModel(zone)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, zone)
	end := start.AddDate(1, 0, 0)
	s := NewSchedule(m, rand.New(rand.NewPCG(1, 2)), start)

	total := map[event.Kind]int{}
	byHour := map[event.Kind]*[24]int{}
	for _, k := range m.Kinds {
		byHour[k.Kind] = new([24]int)
	}
	for a := s.Next(); a.At.Before(end); a = s.Next() {
		total[a.Kind]++
		byHour[a.Kind][a.At.In(zone).Hour()]++
	}
	for i, k := range m.Kinds {
		t.Run(string(k.Kind), func(t *testing.T) {
			// A Poisson count of ~9,000 has a standard deviation of ~1%;
			// 4% leaves room for the year not being whole weeks.
			if got, want := float64(total[k.Kind]), k.PerYear; math.Abs(got-want) > 0.04*want {
				t.Errorf("events in a year = %v, want %v ± 4%%", got, want)
			}
			if got, want := float64(total[k.Kind])/365, m.ExpectedPerDay(i); math.Abs(got-want) > 0.04*want {
				t.Errorf("mean per day = %.1f, want %.1f ± 4%%", got, want)
			}
			// Each hour of the day gets its share of the curve.
			var sum float64
			for _, w := range k.Hourly {
				sum += w
			}
			for h, w := range k.Hourly {
				want := float64(total[k.Kind]) * w / sum
				got := float64(byHour[k.Kind][h])
				if tol := max(5*math.Sqrt(want), 0.1*want); math.Abs(got-want) > tol {
					t.Errorf("hour %02d: %v events, want %.0f ± %.0f", h, got, want, tol)
				}
			}
		})
	}
	// More by day than by night: grid workers report on patrol.
	day, night := 0, 0
	for h, n := range byHour[event.GridEvent] {
		if h >= 8 && h < 20 {
			day += n
		} else {
			night += n
		}
	}
	if day < 4*night {
		t.Errorf("grid events by day %d, by night %d: want at least four times as many by day", day, night)
	}
}

func TestScheduleWeekend(t *testing.T) {
	zone := shanghai(t)
	m := DefaultModel(zone)
	// 2025-06-02 is a Monday, 2025-06-07 a Saturday.
	monday := time.Date(2025, 6, 2, 10, 0, 0, 0, zone)
	saturday := time.Date(2025, 6, 7, 10, 0, 0, 0, zone)
	if m.PerHour(0, monday) <= m.PerHour(0, saturday) {
		t.Errorf("grid events at 10:00: Monday %.2f/h, Saturday %.2f/h; want fewer at the weekend",
			m.PerHour(0, monday), m.PerHour(0, saturday))
	}
}
