package geogen

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// edgePos is a position on a cell's boundary: edge index, then the
// parameter 0..1 along that edge in the cell's counter-clockwise direction.
type edgePos struct {
	edge int
	t    float64
}

func (a edgePos) compare(b edgePos) int {
	if c := cmp.Compare(a.edge, b.edge); c != 0 {
		return c
	}
	return cmp.Compare(a.t, b.t)
}

// run is one stretch of the outline inside one cell: it enters the cell at
// crossing in, passes the outline vertices in path, and leaves at crossing out.
type run struct {
	in, out       int32
	inPos, outPos edgePos
	path          []int32
}

// clipper intersects the Voronoi cells with the district outline.
type clipper struct {
	m       *mesh
	cells   []voronoiCell
	vorBase int32 // mesh id of the circumcentre of triangle 0
	runs    [][]*run
}

func (c *clipper) poly(cell int32) []orb.Point {
	vs := c.cells[cell].tris
	out := make([]orb.Point, len(vs))
	for i, t := range vs {
		out[i] = c.m.pts[c.vorBase+t]
	}
	return out
}

// walk follows the outline once around and cuts it into runs, one per visit
// to a cell. Following the outline from cell to cell through the edge it
// crosses (rather than testing each cell on its own) means every crossing is
// computed exactly once and the cells on both sides agree on it.
func (c *clipper) walk(outline []int32, start int, startCell int32) error {
	n := int32(len(c.cells))
	m := len(outline)
	c.runs = make([][]*run, n)
	first := &run{in: -1, path: []int32{outline[start]}}
	cur, r := startCell, first
	for step := 0; step < m; step++ {
		j := (start + step) % m
		p, q := c.m.pts[outline[j]], c.m.pts[outline[(j+1)%m]]
		tcur := 0.0
		for {
			poly := c.poly(cur)
			k, t, ok := exitEdge(poly, p, q, tcur)
			if !ok {
				break
			}
			x := orb.Point{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])}
			id := c.m.add(x, kindCrossing)
			a, b := poly[k], poly[(k+1)%len(poly)]
			te := edgeParam(a, b, x)
			r.out, r.outPos = id, edgePos{k, te}
			c.runs[cur] = append(c.runs[cur], r)
			nb := c.cells[cur].nbrs[k]
			if nb >= n {
				return fmt.Errorf("clip: the outline leaves the generators' hull near vertex %d", j)
			}
			k2 := c.cells[nb].edgeTo(cur)
			if k2 < 0 {
				return fmt.Errorf("clip: cells %d and %d disagree on their edge", cur, nb)
			}
			r = &run{in: id, inPos: edgePos{k2, 1 - te}}
			cur, tcur = nb, t
		}
		if step < m-1 {
			r.path = append(r.path, outline[(j+1)%m])
		}
	}
	if cur != startCell || r == first {
		return fmt.Errorf("clip: the walk around the outline did not close")
	}
	// The last run and the first are one visit to the start cell.
	first.in, first.inPos = r.in, r.inPos
	first.path = append(r.path, first.path...)
	return nil
}

// exitEdge finds where the segment p→q, inside the convex counter-clockwise
// cell at parameter tcur, leaves it (Cyrus–Beck): the smallest parameter at
// which it crosses an edge outward. ok is false when q is inside the cell.
func exitEdge(poly []orb.Point, p, q orb.Point, tcur float64) (edge int, t float64, ok bool) {
	best, bestK := math.Inf(1), -1
	for k := range poly {
		a, b := poly[k], poly[(k+1)%len(poly)]
		fp, fq := cross(a, b, p), cross(a, b, q) // > 0: left of a→b, inside
		if fp > fq {
			if t := fp / (fp - fq); t < best {
				best, bestK = t, k
			}
		}
	}
	if bestK < 0 || best >= 1 {
		return 0, 0, false
	}
	return bestK, math.Max(best, tcur), true
}

// edgeParam returns where x projects onto a→b, as a fraction of its length.
func edgeParam(a, b, x orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return 0
	}
	return ((x[0]-a[0])*dx + (x[1]-a[1])*dy) / l2
}

// pieces returns the parts of one cell inside the outline (Weiler–Atherton):
// follow a run to where the outline leaves the cell, then the cell's
// boundary counter-clockwise to the next place the outline enters, and so on
// until the ring closes. Crossings alternate in/out along the boundary; a
// violation means the geometry was too degenerate and is reported.
func (c *clipper) pieces(cell int32) ([][]int32, error) {
	runs := c.runs[cell]
	type mark struct {
		pos  edgePos
		run  int
		isIn bool
	}
	marks := make([]mark, 0, 2*len(runs))
	for i, r := range runs {
		marks = append(marks, mark{r.inPos, i, true}, mark{r.outPos, i, false})
	}
	slices.SortStableFunc(marks, func(a, b mark) int { return a.pos.compare(b.pos) })
	outAt := make([]int, len(runs))
	for i, mk := range marks {
		if !mk.isIn {
			outAt[mk.run] = i
		}
	}
	verts := c.cells[cell].tris
	used := make([]bool, len(runs))
	var out [][]int32
	for i := range runs {
		if used[i] {
			continue
		}
		var ring []int32
		for cur := i; ; {
			used[cur] = true
			r := runs[cur]
			ring = append(ring, r.in)
			ring = append(ring, r.path...)
			ring = append(ring, r.out)
			next := marks[(outAt[cur]+1)%len(marks)]
			if !next.isIn {
				return nil, fmt.Errorf("clip: crossings of cell %d do not alternate", cell)
			}
			for _, v := range between(r.outPos, next.pos, len(verts)) {
				ring = append(ring, c.vorBase+verts[v])
			}
			if cur = next.run; cur == i {
				break
			}
			if used[cur] {
				return nil, fmt.Errorf("clip: crossings of cell %d form a broken cycle", cell)
			}
		}
		out = append(out, ring)
	}
	return out, nil
}

// between lists the cell vertices met walking counter-clockwise from a to b.
func between(a, b edgePos, n int) []int {
	if a.edge == b.edge && a.t < b.t {
		return nil
	}
	var vs []int
	for k := (a.edge + 1) % n; ; k = (k + 1) % n {
		vs = append(vs, k)
		if k == b.edge {
			return vs
		}
	}
}
