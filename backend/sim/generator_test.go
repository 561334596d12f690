package sim

import (
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/testsvc"
)

var (
	districtOnce sync.Once
	district     *grid.District
	workers      Workers
	districtErr  error
)

// mustDistrict loads the repository's geodata once for all tests.
func mustDistrict(tb testing.TB) (*grid.District, Workers) {
	tb.Helper()
	districtOnce.Do(func() {
		dir := testsvc.RepoRoot(tb) + "/geodata"
		if district, districtErr = grid.Load(dir); districtErr == nil {
			workers, districtErr = LoadWorkers(dir)
		}
	})
	if districtErr != nil {
		tb.Fatal(districtErr)
	}
	return district, workers
}

func TestGeneratorEventsAreValidAndInTheirGrid(t *testing.T) {
	d, w := mustDistrict(t)
	zone := shanghai(t)
	g := NewGenerator(d, w, zone, 7, "test")
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, zone)
	ids := map[string]bool{}
	for _, k := range g.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			cats := map[string]int{}
			for range 1000 {
				gen := g.Next(k, now)
				in := gen.Input
				if err := in.Validate(now); err != nil {
					t.Fatalf("invalid input %+v: %v", in, err)
				}
				if ids[in.SourceID] {
					t.Fatalf("source_id %s repeated", in.SourceID)
				}
				ids[in.SourceID] = true
				cats[in.Category]++
				p := locationOf(t, d, in)
				loc, err := d.Locate(p)
				if err != nil {
					t.Fatalf("%s at %v: %v", in.SourceID, p, err)
				}
				if loc.Grid.ID != gen.GridID {
					t.Fatalf("%s at %v lies in grid %s, the generator says %s", in.SourceID, p, loc.Grid.ID, gen.GridID)
				}
			}
			// Every category of the kind turns up, none dominates.
			for _, c := range event.Categories(k) {
				if cats[c.Code] == 0 {
					t.Errorf("category %s never generated", c.Code)
				}
				if cats[c.Code] > 500 {
					t.Errorf("category %s is %d of 1000", c.Code, cats[c.Code])
				}
			}
		})
	}
}

// locationOf is where gridcc places the input: its point, or its camera's.
func locationOf(t *testing.T, d *grid.District, in event.Input) orb.Point {
	t.Helper()
	if in.Lon != nil {
		return orb.Point{*in.Lon, *in.Lat}
	}
	cam, ok := d.Camera(in.CameraID)
	if !ok {
		t.Fatalf("%s: unknown camera %q", in.SourceID, in.CameraID)
	}
	return cam.Point
}

func TestGeneratorRecurringDisputes(t *testing.T) {
	d, w := mustDistrict(t)
	zone := shanghai(t)
	g := NewGenerator(d, w, zone, 11, "test")
	now := time.Now()
	byAddress := map[string]int{}
	for range 3000 {
		in := g.Next(event.GridEvent, now).Input
		if in.Category == "dispute" {
			byAddress[in.Address]++
		}
	}
	repeated := 0
	for _, n := range byAddress {
		if n >= 5 {
			repeated++
		}
	}
	if repeated < 2 || repeated > recurringDisputes {
		t.Errorf("%d addresses have 5 or more dispute reports; want 2..%d recurring disputes", repeated, recurringDisputes)
	}
}
