package geogen

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
)

// Tests on the committed files in geodata/: counts, ids, properties and
// shapes. Their geometry (tiling, nesting) is in tiling_test.go.

func TestCommittedCounts(t *testing.T) {
	d := mustCommitted(t)
	tests := []struct {
		name      string
		got, want int
	}{
		{"district", len(d.district.Features), 1},
		{"grids", len(d.grids.Features), 1563},
		{"streets", len(d.streets.Features), 15},
		{"workers", len(d.workers), 1563},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %d features, want %d", tt.name, tt.got, tt.want)
		}
	}
	if n := len(d.cameras.Features); n < 1800 || n > 2200 {
		t.Errorf("cameras: %d, want about 2000", n)
	}
}

func TestCommittedDistrictProperties(t *testing.T) {
	p := mustCommitted(t).district.Features[0].Properties
	want := map[string]any{"name": "川汇区", "code": "411602", "city": "周口市",
		"timezone": "Asia/Shanghai", "synthetic": false}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("district %s = %v, want %v", k, p[k], v)
		}
	}
	if s := p.MustString("source", ""); !strings.Contains(s, "DataV") {
		t.Errorf("district source %q does not credit DataV", s)
	}
}

var (
	gridIDRe   = regexp.MustCompile(`^(\d{9})-(\d{3})$`)
	commIDRe   = regexp.MustCompile(`^(\d{9})-C\d{2}$`)
	cameraIDRe = regexp.MustCompile(`^CAM-\d{6}$`)
	phoneRe    = regexp.MustCompile(`^1[358]\d{9}$`)
)

func TestCommittedIDs(t *testing.T) {
	d := mustCommitted(t)
	streets := map[string]string{}
	for _, f := range d.streets.Features {
		streets[f.Properties.MustString("street_code")] = f.Properties.MustString("name")
	}
	seen := map[string]bool{}
	next := map[string]int{}
	for _, f := range d.grids.Features {
		id := f.Properties.MustString("grid_id")
		m := gridIDRe.FindStringSubmatch(id)
		if m == nil || seen[id] {
			t.Fatalf("grid id %q malformed or repeated", id)
		}
		seen[id] = true
		code := f.Properties.MustString("street_code")
		if m[1] != code || streets[code] == "" {
			t.Errorf("grid %s: street_code %s unknown or not its prefix", id, code)
		}
		// Sequence numbers run 001, 002, … per street in file order.
		next[code]++
		if want := fmt.Sprintf("%03d", next[code]); m[2] != want {
			t.Errorf("grid %s: sequence %s, want %s", id, m[2], want)
		}
	}
	comms := map[string]bool{}
	for _, f := range d.communities.Features {
		id := f.Properties.MustString("community_id")
		m := commIDRe.FindStringSubmatch(id)
		if m == nil || comms[id] || m[1] != f.Properties.MustString("street_code") {
			t.Errorf("community id %q malformed, repeated or not under its street", id)
		}
		comms[id] = true
	}
	cams := map[string]bool{}
	for _, f := range d.cameras.Features {
		id := f.Properties.MustString("camera_id")
		if !cameraIDRe.MatchString(id) || cams[id] {
			t.Errorf("camera id %q malformed or repeated", id)
		}
		cams[id] = true
	}
}

func TestCommittedWorkers(t *testing.T) {
	d := mustCommitted(t)
	phones := map[string]bool{}
	for i, w := range d.workers {
		if want := d.grids.Features[i].Properties.MustString("grid_id"); w.GridID != want {
			t.Fatalf("worker %d: grid %s, want %s (one per grid, in grid order)", i, w.GridID, want)
		}
		if n := len([]rune(w.Name)); n < 2 || n > 3 {
			t.Errorf("worker %s: name %q", w.GridID, w.Name)
		}
		if !phoneRe.MatchString(w.Phone) || phones[w.Phone] {
			t.Errorf("worker %s: phone %q malformed or repeated", w.GridID, w.Phone)
		}
		phones[w.Phone] = true
	}
}

func TestCommittedGridProperties(t *testing.T) {
	d := mustCommitted(t)
	type comm struct{ name, kind, street, streetName string }
	comms := map[string]comm{}
	for _, f := range d.communities.Features {
		p := f.Properties
		comms[p.MustString("community_id")] = comm{p.MustString("name"), p.MustString("kind"),
			p.MustString("street_code"), p.MustString("street_name")}
		if p["synthetic"] != true {
			t.Errorf("community %s not marked synthetic", p.MustString("community_id"))
		}
	}
	perComm, perStreet := map[string]int{}, map[string]int{}
	specials := 0
	for _, f := range d.grids.Features {
		p := f.Properties
		id := p.MustString("grid_id")
		c, ok := comms[p.MustString("community_id")]
		switch {
		case !ok:
			t.Errorf("grid %s: unknown community", id)
		case c.name != p.MustString("community_name") || c.street != p.MustString("street_code") ||
			c.streetName != p.MustString("street_name"):
			t.Errorf("grid %s: properties disagree with its community", id)
		}
		perComm[p.MustString("community_id")]++
		perStreet[p.MustString("street_code")]++
		typ, name := p.MustString("type"), p.MustString("name")
		switch {
		case typ == "special":
			specials++
			if !strings.HasSuffix(name, "专属网格") {
				t.Errorf("special grid %s is named %q", id, name)
			}
		case typ == "urban" && c.kind == "community", typ == "rural" && c.kind == "village":
			if !strings.HasPrefix(name, c.name+"第") || !strings.HasSuffix(name, "网格") {
				t.Errorf("grid %s is named %q in %s", id, name, c.name)
			}
		default:
			t.Errorf("grid %s: type %q in a %s", id, typ, c.kind)
		}
		if a := p.MustFloat64("area_km2"); math.Abs(a-AreaKm2(f.Geometry)) > 0.0006 {
			t.Errorf("grid %s: area_km2 %.3f, geometry %.4f", id, a, AreaKm2(f.Geometry))
		}
		if p["synthetic"] != true {
			t.Errorf("grid %s not marked synthetic", id)
		}
	}
	if specials < 20 || specials > 60 {
		t.Errorf("%d special grids, want a few dozen", specials)
	}
	for id, n := range perComm {
		if n < 8 || n > 25 {
			t.Errorf("community %s has %d grids, want 8–25", id, n)
		}
	}
	for _, f := range d.streets.Features {
		code, n := f.Properties.MustString("street_code"), f.Properties.MustInt("grid_count")
		if n != perStreet[code] {
			t.Errorf("street %s: grid_count %d, grids %d", code, n, perStreet[code])
		}
		if f.Properties["synthetic"] != true {
			t.Errorf("street %s not marked synthetic", code)
		}
	}
}

func TestCommittedGridShapes(t *testing.T) {
	d := mustCommitted(t)
	compact := 0
	for _, f := range d.grids.Features {
		id := f.Properties.MustString("grid_id")
		if a := AreaKm2(f.Geometry); a < 0.02 || a > 2.5 {
			t.Errorf("grid %s: %.3f km², want 0.02–2.5", id, a)
		}
		if Compactness(f.Geometry) >= 0.5 {
			compact++
		}
	}
	if share := float64(compact) / float64(len(d.grids.Features)); share < 0.95 {
		t.Errorf("compactness ≥ 0.5 for %.1f%% of grids, want ≥ 95%%", 100*share)
	}
}
