package main

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/history"
)

// generator produces the district's history as log records in time order:
// each day's new cases (Poisson counts from the rates in rates.go), each
// case's whole life (lifecycle.go), and episodes of disputes that keep
// coming back to one address (the "long-term care" cases). Changes later
// than now are left out, so recent cases are still open, as in life.
type generator struct {
	r        *rand.Rand
	zone     *time.Location
	from, to history.Date
	now      time.Time
	scale    float64 // multiplies the real volumes to reach the requested count

	district  *grid.District
	handlers  handlers // who is dispatched and summoned; set by the caller when the geodata has a directory
	grids     []*grid.Grid
	gridCum   []float64 // cumulative grid weights
	community map[string]string
	cameras   []*grid.Camera

	episodes map[history.Date][]planned
	day      history.Date // next day to generate
	boundary time.Time    // records before this instant are final
	pending  caseHeap
	nextID   int64
	reports  int64
}

// planned is a dispute of a recurring episode, due on a day.
type planned struct {
	grid    *grid.Grid
	address string
	kind    event.Kind
	at      time.Time
}

// newGenerator plans the history of district from from to to (inclusive,
// district days in zone) with about events cases in all (0: the real
// volumes). seed makes it reproducible.
func newGenerator(d *grid.District, zone *time.Location, from, to history.Date, events int64, seed uint64, now time.Time) (*generator, error) {
	if len(d.Grids) == 0 {
		return nil, fmt.Errorf("gridseed: the district has no grids")
	}
	g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), zone: zone, from: from, to: to, now: now,
		district: d, grids: d.Grids, community: map[string]string{}, cameras: d.Cameras, day: from, boundary: from.Start(zone)}
	for _, c := range d.Communities {
		g.community[c.ID] = c.Name
	}
	// Busy grids: towns more than villages, and some places far more than
	// others (markets, old estates): the hot spots the review looks for.
	typeWeight := map[grid.Type]float64{grid.TypeUrban: 3, grid.TypeSpecial: 2, grid.TypeRural: 1}
	sum := 0.0
	for _, gr := range g.grids {
		sum += typeWeight[gr.Type] * math.Exp(0.7*g.r.NormFloat64())
		g.gridCum = append(g.gridCum, sum)
	}
	g.scale = 1
	if events > 0 {
		g.scale = float64(events) / g.expected() // expected() at scale 1: the real volumes
	}
	g.planEpisodes()
	return g, nil
}

// rate is the expected number of cases of kind and category on day d.
func (g *generator) rate(k event.Kind, category string, d history.Date) float64 {
	t := d.Start(time.UTC)
	years := float64(d.DaysSince(g.from)) / 365
	return yearly[k] / 365 * categoryMix[k][category] * weekdayFactor(k, t.Weekday()) * seasonFactor(k, t) *
		math.Pow(yearlyTrend(k, category), years) * g.scale
}

// expected is the expected number of cases over the whole period.
func (g *generator) expected() float64 {
	total := 0.0
	for d := g.from; !d.After(g.to); d = d.AddDays(1) {
		for _, k := range event.Kinds {
			for _, cat := range categoryOrder[k] {
				total += g.rate(k, cat, d)
			}
		}
	}
	return total
}

// planEpisodes picks places where a dispute comes back again and again:
// three in a hundred disputes belong to such an episode of 4–8 reports a
// few days apart.
func (g *generator) planEpisodes() {
	g.episodes = map[history.Date][]planned{}
	days := g.to.DaysSince(g.from) + 1
	disputes := (yearly[event.GridEvent]*categoryMix[event.GridEvent]["dispute"] +
		yearly[event.Hotline]*categoryMix[event.Hotline]["dispute"]) * g.scale * float64(days) / 365
	n := max(20, int(disputes*0.03/6))
	for range n {
		gr := g.pickGrid()
		addr := g.address(gr)
		day := g.from.AddDays(g.r.IntN(max(days-30, 1)))
		kinds := [2]event.Kind{event.Hotline, event.GridEvent}
		for i, reps := 0, 4+g.r.IntN(5); i < reps && !day.After(g.to); i++ {
			at := day.Start(g.zone).Add(time.Duration(8+g.r.IntN(13))*time.Hour + time.Duration(g.r.IntN(3600))*time.Second)
			g.episodes[day] = append(g.episodes[day], planned{grid: gr, address: addr, kind: kinds[g.r.IntN(2)], at: at})
			day = day.AddDays(2 + g.r.IntN(11))
		}
	}
}

func (g *generator) pickGrid() *grid.Grid {
	x := g.r.Float64() * g.gridCum[len(g.gridCum)-1]
	return g.grids[sort.SearchFloat64s(g.gridCum, x)]
}

func (g *generator) address(gr *grid.Grid) string {
	return fmt.Sprintf("%s%d号楼%d单元", g.community[gr.CommunityID], 1+g.r.IntN(30), 1+g.r.IntN(4))
}

// poisson draws a Poisson count; above 30 the normal approximation is
// close enough and far faster.
func (g *generator) poisson(lambda float64) int {
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*g.r.NormFloat64())))
	}
	limit, k, p := math.Exp(-lambda), 0, g.r.Float64()
	for p > limit {
		k++
		p *= g.r.Float64()
	}
	return k
}

// generateDay creates day d's cases and queues their lives.
func (g *generator) generateDay(d history.Date) {
	start := d.Start(g.zone)
	progress := float64(d.DaysSince(g.from)) / float64(max(g.to.DaysSince(g.from), 1))
	for _, k := range event.Kinds {
		hours := hourWeights[k]
		for _, cat := range categoryOrder[k] {
			for range g.poisson(g.rate(k, cat, d)) {
				at := start.Add(time.Duration(pickIndex(g.r, hours[:]))*time.Hour + time.Duration(g.r.IntN(3600))*time.Second)
				g.newCase(k, cat, g.pickGrid(), "", at, progress)
			}
		}
	}
	for _, p := range g.episodes[d] {
		g.newCase(p.kind, "dispute", p.grid, p.address, p.at, progress)
	}
}

func pickIndex(r *rand.Rand, weights []float64) int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	x := r.Float64() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *generator) newCase(k event.Kind, cat string, gr *grid.Grid, addr string, at time.Time, progress float64) {
	if at.After(g.now) {
		return
	}
	g.nextID++
	id := "h-" + strconv.FormatInt(g.nextID, 36)
	mix := severityMix[k]
	sev := event.Severities[pickIndex(g.r, mix[:])]
	ev := event.Event{ID: id, Kind: k, SourceID: "seed-" + id, Source: "gridseed", Category: cat, Severity: sev,
		Status: event.Reported, OccurredAt: at.Add(-time.Duration(g.r.IntN(1800)) * time.Second).UTC(),
		ReportedAt: at.UTC(), UpdatedAt: at.UTC()}
	switch k {
	case event.CameraAlert:
		if len(g.cameras) > 0 {
			cam := g.cameras[g.r.IntN(len(g.cameras))]
			ev.CameraID = cam.ID
			if x, ok := g.district.Grid(cam.GridID); ok {
				gr = x
			}
		} else {
			ev.CameraID = "cam-" + gr.ID
		}
	case event.Warning:
		ev.SensorID = fmt.Sprintf("sensor-%s-%d", gr.ID, g.r.IntN(4))
	default:
		if addr == "" {
			addr = g.address(gr)
		}
	}
	list := titles[cat]
	ev.Title = list[g.r.IntN(len(list))]
	ev.GridID, ev.CommunityID, ev.StreetCode, ev.Address = gr.ID, gr.CommunityID, gr.StreetCode, addr
	ev.Lon, ev.Lat = gr.Label[0], gr.Label[1]
	heap.Push(&g.pending, &caseState{ev: ev, steps: lifecycle(g.r, &ev, slaOf(&ev), progress, g.handlers)})
}
