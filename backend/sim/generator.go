package sim

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
)

// Generator makes ingest inputs that read like 川汇区's: categories and
// severities in plausible shares, points inside their grids, Chinese titles
// and addresses, synthetic callers. It is deterministic for a seed and not
// safe for concurrent use.
type Generator struct {
	d        *grid.District
	workers  Workers
	rng      *rand.Rand
	zone     *time.Location
	runID    string
	n        int
	category map[event.Kind]weighted
	grids    map[event.Kind]weighted
	disputes []*recurring
	sensors  []sensor
}

// sensor is a fixed 智慧应急/智慧城管 sensor: its warnings come from one place.
type sensor struct {
	id       string
	category string
	spot     spot
}

// Generated is one input with the grid the generator placed it in.
type Generated struct {
	Input  event.Input
	GridID string // the grid of the point; for camera alerts the camera's grid
}

// sensorsPerCategory is how many sensors of each warning category exist.
const sensorsPerCategory = 30

// NewGenerator returns a generator over district d. runID goes into every
// source_id, so runs never collide on the idempotency key.
func NewGenerator(d *grid.District, workers Workers, zone *time.Location, seed uint64, runID string) *Generator {
	g := &Generator{d: d, workers: workers, rng: rand.New(rand.NewPCG(seed, 0x67726964636373)), zone: zone, runID: runID,
		category: map[event.Kind]weighted{}, grids: map[event.Kind]weighted{}}
	for k, cats := range catalog {
		ws := make([]float64, len(cats))
		for i, c := range cats {
			ws[i] = c.share
		}
		g.category[k] = newWeighted(ws)
	}
	// Grid workers cover every grid; 12345 calls come from where people live.
	g.grids[event.GridEvent] = gridPicker(d, map[grid.Type]float64{grid.TypeUrban: 1.2, grid.TypeRural: 0.8, grid.TypeSpecial: 0.6})
	g.grids[event.Hotline] = gridPicker(d, map[grid.Type]float64{grid.TypeUrban: 1.6, grid.TypeRural: 0.5, grid.TypeSpecial: 0.8})
	g.disputes = newRecurring(d, g.rng, recurringDisputes)
	for _, c := range catalog[event.Warning] {
		for i := range sensorsPerCategory {
			gr := d.Grids[g.rng.IntN(len(d.Grids))]
			id := fmt.Sprintf("YJ-%s-%04d", strings.ToUpper(strings.ReplaceAll(c.code, "_", "")), i+1)
			g.sensors = append(g.sensors, sensor{id: id, category: c.code, spot: newSpot(d, gr, g.rng)})
		}
	}
	return g
}

// Kinds returns the kinds this district supports: camera alerts need cameras.
func (g *Generator) Kinds() []event.Kind {
	if len(g.d.Cameras) == 0 {
		return []event.Kind{event.GridEvent, event.Hotline, event.Warning}
	}
	return event.Kinds
}

// Next returns a new input of kind k that happened shortly before now.
func (g *Generator) Next(k event.Kind, now time.Time) Generated {
	g.n++
	cats := catalog[k]
	c := &cats[g.category[k].pick(g.rng)]
	in := event.Input{Kind: k, Category: c.code, Severity: g.severity(c)}
	var gridID string
	switch k {
	case event.GridEvent, event.Hotline:
		gridID = g.person(&in, c, now)
	case event.CameraAlert:
		gridID = g.camera(&in, c, now)
	case event.Warning:
		gridID = g.warning(&in, now)
	}
	return Generated{Input: in, GridID: gridID}
}

// person fills a grid-worker report or a hotline call.
func (g *Generator) person(in *event.Input, c *category, now time.Time) string {
	var s spot
	share := recurringShareGrid
	if in.Kind == event.Hotline {
		share = recurringShareHotline
	}
	if c.code == "dispute" && g.rng.Float64() < share {
		r := g.disputes[g.rng.IntN(len(g.disputes))]
		s = r.spot
		in.Title, in.Description, in.Severity = r.report(in.Kind, g.rng)
	} else {
		s = newSpot(g.d, g.d.Grids[g.grids[in.Kind].pick(g.rng)], g.rng)
		in.Title, in.Description = g.fill(c, s, "")
	}
	in.Lon, in.Lat = &s.point[0], &s.point[1]
	in.Address = s.address
	if in.Kind == event.GridEvent {
		in.SourceID = fmt.Sprintf("WG-%s-%06d", g.runID, g.n)
		in.ReporterName = g.workers[s.grid.ID]
		if in.ReporterName == "" {
			in.ReporterName = personName(g.rng)
		}
		in.OccurredAt = g.ago(now, time.Minute, 20*time.Minute) // reported after the patrol round
	} else {
		in.SourceID = fmt.Sprintf("ZK-%s-%06d", g.runID, g.n)
		in.CallerName = personName(g.rng)
		in.CallerPhone = phoneNumber(g.rng)
		in.OccurredAt = g.ago(now, 0, 90*time.Second)
	}
	return s.grid.ID
}

// camera fills a 雪亮 alert. It sends no coordinates: the video platform
// knows only its camera, and gridcc places the alert there.
func (g *Generator) camera(in *event.Input, c *category, now time.Time) string {
	cam := g.d.Cameras[g.rng.IntN(len(g.d.Cameras))]
	label := event.CategoryLabel(c.code)
	in.CameraID = cam.ID
	in.SourceID = fmt.Sprintf("XL:%s:%s-%06d", cam.ID, g.runID, g.n)
	in.Title = label + " " + cam.Name
	in.Description = fmt.Sprintf("视频智能分析识别到%s，置信度0.%02d，请值班人员核实。", label, 70+g.rng.IntN(30))
	in.OccurredAt = g.ago(now, 0, 5*time.Second)
	return cam.GridID
}

// warning fills a sensor warning from one of the fixed sensors of a
// category drawn by share.
func (g *Generator) warning(in *event.Input, now time.Time) string {
	var pool []*sensor
	for i := range g.sensors {
		if g.sensors[i].category == in.Category {
			pool = append(pool, &g.sensors[i])
		}
	}
	s := pool[g.rng.IntN(len(pool))]
	cats := catalog[event.Warning]
	for i := range cats {
		if cats[i].code == in.Category {
			in.Title, in.Description = g.fill(&cats[i], s.spot, g.reading(in.Category))
		}
	}
	in.SensorID = s.id
	in.SourceID = fmt.Sprintf("YJ:%s:%s-%06d", s.id, g.runID, g.n)
	lon, lat := s.spot.point[0], s.spot.point[1] // copies: the input must not share the sensor's point
	in.Lon, in.Lat = &lon, &lat
	in.Address = s.spot.address
	in.OccurredAt = g.ago(now, 0, 10*time.Second)
	return s.spot.grid.ID
}

// reading is a plausible sensor value over its threshold.
func (g *Generator) reading(category string) string {
	switch category {
	case "air_quality":
		return strconv.Itoa(150 + g.rng.IntN(150))
	case "power":
		return strconv.Itoa(95 + g.rng.IntN(40))
	case "water_level":
		return strconv.Itoa(30 + g.rng.IntN(60))
	case "gas":
		return strconv.Itoa(25 + g.rng.IntN(40))
	}
	return ""
}

func (g *Generator) severity(c *category) event.Severity {
	return event.Severities[newWeighted(c.severity[:]).pick(g.rng)]
}

// fill expands one title and one description template of c at s.
func (g *Generator) fill(c *category, s spot, v string) (title, detail string) {
	r := strings.NewReplacer("{place}", s.place, "{road}", s.road, "{v}", v,
		"{policy}", policies[g.rng.IntN(len(policies))],
		"{company}", companies[g.rng.IntN(len(companies))],
		"{dept}", depts[g.rng.IntN(len(depts))])
	return r.Replace(c.titles[g.rng.IntN(len(c.titles))]), r.Replace(c.details[g.rng.IntN(len(c.details))])
}

// ago is an occurred_at between lo and hi before now, in the district's
// zone as the sending systems write it.
func (g *Generator) ago(now time.Time, lo, hi time.Duration) string {
	lag := lo + time.Duration(g.rng.Int64N(int64(hi-lo)+1))
	return now.Add(-lag).In(g.zone).Format(time.RFC3339)
}
