// Package sim generates traffic for gridcc: a demo mode that plays a
// plausible day of 川汇区 (grid-worker reports, 12345 hotline requests, 雪亮
// camera alerts, sensor warnings) through the real ingest API, and a load
// mode that measures fan-out latency and loss with many WebSocket clients.
// backend/cmd/gridsim wires it to flags.
package sim

import (
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// KindModel is how often one kind of event arrives: a yearly total spread
// over the hours of the day and the days of the week.
type KindModel struct {
	Kind      event.Kind
	PerYear   float64     // expected events in a 365-day year
	Hourly    [24]float64 // relative rate by local hour; the mean is normalised to 1
	Weekday   float64     // relative rate Monday–Friday
	Weekend   float64     // relative rate Saturday–Sunday; (5·Weekday+2·Weekend)/7 is normalised to 1
	rateHour  [24]float64 // events per hour for each hour of a mean day, filled by normalise
	peakHourR float64     // the largest rateHour times the larger day factor: the thinning bound
}

// Model is the arrival model of every kind.
type Model struct {
	Kinds []KindModel
	Zone  *time.Location // the district's clock: hours and weekdays are local
}

// DefaultModel is 川汇区 as DOMAIN.md describes it: 9,084 grid events and
// 22,000+ hotline requests in 2025. The article gives no figures for camera
// alerts and sensor warnings; 40 and 10 a day are assumptions that keep the
// wall lively without drowning the two channels the article counts.
func DefaultModel(zone *time.Location) *Model {
	m := &Model{Zone: zone, Kinds: []KindModel{
		{
			// Grid workers report on patrol: office hours with a lunch dip,
			// almost nothing at night, fewer reports at weekends.
			Kind: event.GridEvent, PerYear: 9100, Weekday: 1.1, Weekend: 0.75,
			Hourly: [24]float64{0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.8, 2.4, 2.4, 2.0,
				1.0, 1.2, 2.0, 2.3, 2.2, 1.8, 1.0, 0.6, 0.4, 0.3, 0.2, 0.15},
		},
		{
			// 12345 answers round the clock; calls peak mid-morning and
			// mid-afternoon and stay busy into the evening.
			Kind: event.Hotline, PerYear: 22000, Weekday: 1.06, Weekend: 0.85,
			Hourly: [24]float64{0.2, 0.1, 0.08, 0.08, 0.1, 0.2, 0.5, 1.0, 1.8, 2.2, 2.2, 1.8,
				1.1, 1.3, 1.8, 2.0, 1.9, 1.6, 1.2, 1.1, 1.0, 0.8, 0.5, 0.3},
		},
		{
			// Video analytics follow street life (vending, parking, crowds)
			// and still catch intrusions at night.
			Kind: event.CameraAlert, PerYear: 14600, Weekday: 1, Weekend: 1,
			Hourly: [24]float64{0.4, 0.3, 0.3, 0.3, 0.3, 0.4, 0.7, 1.2, 1.5, 1.4, 1.3, 1.4,
				1.5, 1.3, 1.3, 1.4, 1.5, 1.7, 1.8, 1.6, 1.3, 1.0, 0.7, 0.5},
		},
		{
			// Sensors do not sleep; load on power and gas peaks a little by day.
			Kind: event.Warning, PerYear: 3650, Weekday: 1, Weekend: 1,
			Hourly: [24]float64{0.7, 0.7, 0.7, 0.7, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.2, 1.2,
				1.3, 1.3, 1.3, 1.2, 1.2, 1.1, 1.1, 1.0, 1.0, 0.9, 0.8, 0.8},
		},
	}}
	m.normalise()
	return m
}

// normalise scales every curve so that its daily and weekly means are 1,
// which makes PerYear the expected yearly total whatever the curve's shape.
func (m *Model) normalise() {
	for i := range m.Kinds {
		k := &m.Kinds[i]
		var sum float64
		for _, w := range k.Hourly {
			sum += w
		}
		week := (5*k.Weekday + 2*k.Weekend) / 7
		perHour := k.PerYear / (365 * 24)
		k.peakHourR = 0
		for h, w := range k.Hourly {
			k.rateHour[h] = perHour * w * 24 / sum
			k.peakHourR = max(k.peakHourR, k.rateHour[h])
		}
		k.Weekday /= week
		k.Weekend /= week
		k.peakHourR *= max(k.Weekday, k.Weekend)
	}
}

// PerHour returns kind i's expected events per hour at t.
func (m *Model) PerHour(i int, t time.Time) float64 {
	k := &m.Kinds[i]
	local := t.In(m.Zone)
	day := k.Weekday
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
		day = k.Weekend
	}
	return k.rateHour[local.Hour()] * day
}

// ExpectedPerDay returns kind i's mean events per day over a year.
func (m *Model) ExpectedPerDay(i int) float64 { return m.Kinds[i].PerYear / 365 }

// only returns a model of the given kinds (a district without cameras has no
// camera alerts).
func (m *Model) only(kinds []event.Kind) *Model {
	out := &Model{Zone: m.Zone}
	for _, k := range m.Kinds {
		for _, want := range kinds {
			if k.Kind == want {
				out.Kinds = append(out.Kinds, k)
			}
		}
	}
	return out
}
