package geogen

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// Tests on the committed geometry: valid rings, an exact tiling of the
// district, exact nesting of grids in communities in streets, connectivity.

func TestCommittedRingsValid(t *testing.T) {
	d := mustCommitted(t)
	for name, fc := range map[string]*geojson.FeatureCollection{"district": d.district,
		"streets": d.streets, "communities": d.communities, "grids": d.grids} {
		for i, f := range fc.Features {
			if err := CheckGeometry(f.Geometry); err != nil {
				t.Errorf("%s feature %d: %v", name, i, err)
			}
		}
	}
}

func TestCommittedAreaSums(t *testing.T) {
	d := mustCommitted(t)
	district := AreaKm2(d.district.Features[0].Geometry)
	if math.Abs(district-332.8) > 0.5 {
		t.Errorf("district area %.2f km², SOURCES.md says 332.8", district)
	}
	for name, fc := range map[string]*geojson.FeatureCollection{"grids": d.grids,
		"communities": d.communities, "streets": d.streets} {
		sum := 0.0
		for _, f := range fc.Features {
			sum += AreaKm2(f.Geometry)
		}
		if math.Abs(sum-district) > 0.001*district {
			t.Errorf("Σ %s area %.3f km², district %.3f km²", name, sum, district)
		}
	}
}

// TestCommittedTilingEdges proves the grids tile the district exactly. Every
// directed edge must occur once; every edge not shared with a neighbour
// (in reverse) must lie on the district outline and together those edges
// must form one closed ring through every outline vertex. With all rings
// valid and counter-clockwise (TestCommittedRingsValid) the winding numbers
// of the grids then add up to the district's: each inside point is in
// exactly one grid.
func TestCommittedTilingEdges(t *testing.T) {
	d := mustCommitted(t)
	edges := map[edgeKeyLL]bool{}
	for _, f := range d.grids.Features {
		ringEdges(f.Geometry, func(a, b orb.Point) {
			if edges[edgeKeyLL{a, b}] {
				t.Fatalf("edge %v→%v is in two grids", a, b)
			}
			edges[edgeKeyLL{a, b}] = true
		})
	}
	outline := d.district.Features[0].Geometry.(orb.Polygon)[0]
	outlineM := ringM(outline)
	next := map[orb.Point]orb.Point{}
	for e := range edges {
		if edges[edgeKeyLL{e[1], e[0]}] {
			continue
		}
		if _, dup := next[e[0]]; dup {
			t.Fatalf("boundary forks at %v", e[0])
		}
		next[e[0]] = e[1]
		if dm := distToRing(localM(e[0]), outlineM); dm > 0.5 {
			t.Errorf("boundary vertex %v is %.2f m off the outline", e[0], dm)
		}
	}
	start := outline[0]
	n := 0
	for p := start; n == 0 || p != start; n++ {
		q, ok := next[p]
		if !ok || n > len(next) {
			t.Fatalf("boundary ring breaks at %v after %d edges", p, n)
		}
		p = q
	}
	if n != len(next) {
		t.Errorf("boundary has %d edges, the ring through the outline %d", len(next), n)
	}
	for _, v := range outline {
		if _, ok := next[v]; !ok {
			t.Errorf("outline vertex %v is not on the grids' boundary", v)
		}
	}
}

// ringM maps a lon/lat ring to local metres.
func ringM(r orb.Ring) []orb.Point {
	out := make([]orb.Point, len(r))
	for i, p := range r {
		out[i] = localM(p)
	}
	return out
}

// distToRing returns the distance from p to a closed ring, both in metres.
func distToRing(p orb.Point, r []orb.Point) float64 {
	d := math.Inf(1)
	for i := 0; i+1 < len(r); i++ {
		d = math.Min(d, segDist(p, r[i], r[i+1]))
	}
	return d
}

// TestCommittedTilingSamples checks the tiling independently by dense
// sampling: a point inside the district lies in exactly one grid, a point
// outside in none. A point within 1 m of the outline may disagree, as the
// grids' rounded crossing vertices may sit a few centimetres off it.
func TestCommittedTilingSamples(t *testing.T) {
	d := mustCommitted(t)
	district := d.district.Features[0].Geometry.(orb.Polygon)
	outlineM := ringM(district[0])
	idx := newBoxIndex(d.grids.Features)
	b := district.Bound()
	const n = 200
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p := orb.Point{b.Min[0] + (float64(i)+0.5+1e-4*math.Pi)*(b.Max[0]-b.Min[0])/n,
				b.Min[1] + (float64(j)+0.5+1e-4*math.E)*(b.Max[1]-b.Min[1])/n}
			want := 0
			if planar.PolygonContains(district, p) {
				want = 1
			}
			got := len(idx.containing(p))
			if got != want && distToRing(localM(p), outlineM) >= 1 {
				t.Errorf("point %v is in %d grids, want %d", p, got, want)
			}
		}
	}
}

// boxIndex finds the features containing a point, with a bucket grid over
// their bounding boxes.
type boxIndex struct {
	fs      []*geojson.Feature
	bounds  []orb.Bound
	b       orb.Bound
	nx, ny  int
	buckets [][]int
}

func newBoxIndex(fs []*geojson.Feature) *boxIndex {
	ix := &boxIndex{fs: fs, b: fs[0].Geometry.Bound(), nx: 64, ny: 64}
	for _, f := range fs {
		ix.b = ix.b.Union(f.Geometry.Bound())
	}
	ix.buckets = make([][]int, ix.nx*ix.ny)
	for i, f := range fs {
		fb := f.Geometry.Bound()
		ix.bounds = append(ix.bounds, fb)
		x0, y0 := ix.cell(fb.Min)
		x1, y1 := ix.cell(fb.Max)
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				ix.buckets[y*ix.nx+x] = append(ix.buckets[y*ix.nx+x], i)
			}
		}
	}
	return ix
}

func (ix *boxIndex) cell(p orb.Point) (int, int) {
	x := int((p[0] - ix.b.Min[0]) / (ix.b.Max[0] - ix.b.Min[0]) * float64(ix.nx))
	y := int((p[1] - ix.b.Min[1]) / (ix.b.Max[1] - ix.b.Min[1]) * float64(ix.ny))
	return max(0, min(ix.nx-1, x)), max(0, min(ix.ny-1, y))
}

// containing returns the indices of the features whose geometry holds p.
func (ix *boxIndex) containing(p orb.Point) []int {
	if !ix.b.Contains(p) {
		return nil
	}
	x, y := ix.cell(p)
	var out []int
	for _, i := range ix.buckets[y*ix.nx+x] {
		if ix.bounds[i].Contains(p) && containsPoint(ix.fs[i].Geometry, p) {
			out = append(out, i)
		}
	}
	return out
}

func containsPoint(g orb.Geometry, p orb.Point) bool {
	for _, poly := range polygons(g) {
		if planar.PolygonContains(poly, p) {
			return true
		}
	}
	return false
}

// TestCommittedNesting checks that each grid lies in exactly one community
// and one street — the ones its properties name — and that every
// community's and street's area is the sum of its grids'.
func TestCommittedNesting(t *testing.T) {
	d := mustCommitted(t)
	comms, streets := newBoxIndex(d.communities.Features), newBoxIndex(d.streets.Features)
	commArea, streetArea := map[string]float64{}, map[string]float64{}
	for _, f := range d.grids.Features {
		id := f.Properties.MustString("grid_id")
		commArea[f.Properties.MustString("community_id")] += AreaKm2(f.Geometry)
		streetArea[f.Properties.MustString("street_code")] += AreaKm2(f.Geometry)
		for _, poly := range polygons(f.Geometry) {
			p := interiorPoint(poly)
			if !planar.PolygonContains(poly, p) {
				t.Fatalf("grid %s: interior point %v not inside", id, p)
			}
			in := comms.containing(p)
			if len(in) != 1 || d.communities.Features[in[0]].Properties.MustString("community_id") !=
				f.Properties.MustString("community_id") {
				t.Errorf("grid %s lies in communities %v, want only its own", id, in)
			}
			in = streets.containing(p)
			if len(in) != 1 || d.streets.Features[in[0]].Properties.MustString("street_code") !=
				f.Properties.MustString("street_code") {
				t.Errorf("grid %s lies in streets %v, want only its own", id, in)
			}
		}
	}
	for _, f := range d.communities.Features {
		id := f.Properties.MustString("community_id")
		if a := AreaKm2(f.Geometry); math.Abs(a-commArea[id]) > 1e-6*a {
			t.Errorf("community %s: %.6f km², its grids %.6f km²", id, a, commArea[id])
		}
	}
	for _, f := range d.streets.Features {
		code := f.Properties.MustString("street_code")
		if a := AreaKm2(f.Geometry); math.Abs(a-streetArea[code]) > 1e-6*a {
			t.Errorf("street %s: %.6f km², its grids %.6f km²", code, a, streetArea[code])
		}
	}
}

// TestCommittedConnected checks that each street and each community is one
// piece: a single Polygon, and its grids connected through shared edges.
func TestCommittedConnected(t *testing.T) {
	d := mustCommitted(t)
	owner := map[edgeKeyLL]int{}
	for i, f := range d.grids.Features {
		ringEdges(f.Geometry, func(a, b orb.Point) { owner[edgeKeyLL{a, b}] = i })
	}
	adj := make([][]int, len(d.grids.Features))
	for e, i := range owner {
		if j, ok := owner[edgeKeyLL{e[1], e[0]}]; ok {
			adj[i] = append(adj[i], j)
		}
	}
	for _, level := range []struct{ layer, key string }{{"streets", "street_code"}, {"communities", "community_id"}} {
		fc := d.streets
		if level.layer == "communities" {
			fc = d.communities
		}
		for _, f := range fc.Features {
			id := f.Properties.MustString(level.key)
			if _, ok := f.Geometry.(orb.Polygon); !ok {
				t.Errorf("%s %s is a %s", level.layer, id, f.Geometry.GeoJSONType())
			}
			var members []int
			for i, g := range d.grids.Features {
				if g.Properties.MustString(level.key) == id {
					members = append(members, i)
				}
			}
			if n := reachable(members, adj); n != len(members) {
				t.Errorf("%s %s: %d of %d grids connected", level.layer, id, n, len(members))
			}
		}
	}
}

// reachable counts the members reachable from the first through members.
func reachable(members []int, adj [][]int) int {
	in := map[int]bool{}
	for _, m := range members {
		in[m] = true
	}
	seen := map[int]bool{members[0]: true}
	queue := []int{members[0]}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, n := range adj[c] {
			if in[n] && !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	return len(seen)
}
