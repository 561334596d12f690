package geogen

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestCommittedCamerasInsideGrids(t *testing.T) {
	d := mustCommitted(t)
	grids := map[string]int{}
	for i, f := range d.grids.Features {
		grids[f.Properties.MustString("grid_id")] = i
	}
	for _, f := range d.cameras.Features {
		p := f.Properties
		id := p.MustString("camera_id")
		gi, ok := grids[p.MustString("grid_id")]
		if !ok {
			t.Errorf("camera %s: unknown grid", id)
			continue
		}
		g := d.grids.Features[gi]
		pt, ok := f.Geometry.(orb.Point)
		if !ok {
			t.Fatalf("camera %s is a %s", id, f.Geometry.GeoJSONType())
		}
		if !containsStrictly(g.Geometry, pt) {
			t.Errorf("camera %s at %v is not strictly inside grid %s", id, pt, g.Properties.MustString("grid_id"))
		}
		if p.MustString("street_code") != g.Properties.MustString("street_code") || p["synthetic"] != true {
			t.Errorf("camera %s: street_code or synthetic wrong", id)
		}
		if p.MustString("name") == "" {
			t.Errorf("camera %s has no name", id)
		}
	}
}

// TestCommittedCamerasDenserInCore compares camera density (per km²) in the
// smallest tenth of grids with the largest tenth.
func TestCommittedCamerasDenserInCore(t *testing.T) {
	d := mustCommitted(t)
	count := map[string]int{}
	for _, f := range d.cameras.Features {
		count[f.Properties.MustString("grid_id")]++
	}
	var small, large [2]float64 // cameras, km²
	for _, f := range d.grids.Features {
		a := f.Properties.MustFloat64("area_km2")
		c := float64(count[f.Properties.MustString("grid_id")])
		switch {
		case a < 0.05:
			small[0] += c
			small[1] += a
		case a > 0.5:
			large[0] += c
			large[1] += a
		}
	}
	if small[0]/small[1] < 5*large[0]/large[1] {
		t.Errorf("core %.1f cameras/km², edge %.1f: want the core much denser", small[0]/small[1], large[0]/large[1])
	}
}
