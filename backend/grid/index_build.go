package grid

import "github.com/paulmach/orb"

// bands says where one grid's edges are per row of cells: the edges whose
// y range overlaps row r are ix.edges[starts[r-row0]:starts[r-row0+1]].
type bands struct {
	row0   int
	starts []int32
}

// of returns the edge range of row r, one of the grid's rows.
func (b *bands) of(r int) (lo, hi int32) { return b.starts[r-b.row0], b.starts[r-b.row0+1] }

// addBands files g's non-horizontal edges under every row their y range
// overlaps, by the same row function as lookups, so an edge that a point's
// ray can cross is always filed under the point's row.
func (ix *index) addBands(g *Grid) bands {
	r0, r1 := ix.row(g.Bound.Min[1]), ix.row(g.Bound.Max[1])
	starts := make([]int32, r1-r0+2)
	for _, e := range g.area.edges {
		for r := ix.row(e.y0); r <= ix.row(e.y1); r++ {
			starts[r-r0+1]++
		}
	}
	starts[0] = int32(len(ix.edges))
	for i := 1; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	ix.edges = append(ix.edges, make([]edge, starts[len(starts)-1]-starts[0])...)
	next := append([]int32(nil), starts...)
	for _, e := range g.area.edges {
		for r := ix.row(e.y0); r <= ix.row(e.y1); r++ {
			ix.edges[next[r-r0]] = e
			next[r-r0]++
		}
	}
	return bands{row0: r0, starts: starts}
}

// footprint is the block of cells a grid's bounding box covers, and which
// of them an edge of the grid comes within margin of.
type footprint struct {
	c0, c1, r0, r1 int
	dirty          []bool // row-major within the block
}

func (ix *index) footprint(g *Grid) *footprint {
	fp := &footprint{c0: ix.col(g.Bound.Min[0]), c1: ix.col(g.Bound.Max[0]), r0: ix.row(g.Bound.Min[1]), r1: ix.row(g.Bound.Max[1])}
	fp.dirty = make([]bool, (fp.c1-fp.c0+1)*(fp.r1-fp.r0+1))
	for _, poly := range g.Geometry {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				ix.markDirty(fp, ring[i], ring[i+1])
			}
		}
	}
	return fp
}

func (fp *footprint) isDirty(c, r int) bool { return fp.dirty[(r-fp.r0)*(fp.c1-fp.c0+1)+c-fp.c0] }

// markDirty marks the cells the segment ab comes within margin of,
// row by row: in each row, the cells spanned by the part of ab inside the
// row's y range, both widened by margin.
func (ix *index) markDirty(fp *footprint, a, b orb.Point) {
	ylo, yhi := min(a[1], b[1]), max(a[1], b[1])
	for r := max(fp.r0, ix.row(ylo-margin)); r <= min(fp.r1, ix.row(yhi+margin)); r++ {
		xlo, xhi := min(a[0], b[0]), max(a[0], b[0])
		t0 := max(ylo, ix.minY+float64(r)/ix.sy-margin)
		t1 := min(yhi, ix.minY+float64(r+1)/ix.sy+margin)
		if a[1] != b[1] && t0 <= t1 {
			x0, x1 := xOn(a, b, t0), xOn(a, b, t1)
			xlo, xhi = min(x0, x1), max(x0, x1)
		}
		for c := max(fp.c0, ix.col(xlo-margin)); c <= min(fp.c1, ix.col(xhi+margin)); c++ {
			fp.dirty[(r-fp.r0)*(fp.c1-fp.c0+1)+c-fp.c0] = true
		}
	}
}

// xOn returns the x of the non-horizontal segment ab at y, clamped to ab.
func xOn(a, b orb.Point, y float64) float64 {
	return min(max(a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]), min(a[0], b[0])), max(a[0], b[0]))
}

// fill builds the cells: for each, the candidate grids (those whose
// bounding box covers it) in id order are tested, dropped or made the
// fallback, as the index's doc comment says.
func (ix *index) fill(grids []*Grid, bands []bands) {
	fps := make([]*footprint, len(grids))
	offsets := make([]int32, ix.nx*ix.ny+1) // candidates of cell k: cands[offsets[k]:offsets[k+1]]
	for i, g := range grids {
		fp := ix.footprint(g)
		fps[i] = fp
		for r := fp.r0; r <= fp.r1; r++ {
			for c := fp.c0; c <= fp.c1; c++ {
				offsets[r*ix.nx+c+1]++
			}
		}
	}
	for k := 1; k < len(offsets); k++ {
		offsets[k] += offsets[k-1]
	}
	cands := make([]int32, offsets[len(offsets)-1])
	next := append([]int32(nil), offsets...)
	for i, fp := range fps {
		for r := fp.r0; r <= fp.r1; r++ {
			for c := fp.c0; c <= fp.c1; c++ {
				cands[next[r*ix.nx+c]] = int32(i)
				next[r*ix.nx+c]++
			}
		}
	}

	ix.cells = make([]int32, ix.nx*ix.ny)
	for r := range ix.ny {
		cy := ix.minY + (float64(r)+0.5)/ix.sy
		for c := range ix.nx {
			cx := ix.minX + (float64(c)+0.5)/ix.sx
			centred := ix.col(cx) == c && ix.row(cy) == r
			k := r*ix.nx + c
			cl := cell{first: int32(len(ix.tests)), fallback: -1}
			for _, gi := range cands[offsets[k]:offsets[k+1]] {
				lo, hi := bands[gi].of(r)
				if lo == hi {
					continue // no edge spans this row: the grid holds no point of it
				}
				if fps[gi].isDirty(c, r) || !centred {
					ix.tests = append(ix.tests, test{grid: gi, lo: lo, hi: hi})
					continue
				}
				if inside(ix.edges[lo:hi], cx, cy) {
					cl.fallback = gi
					break // it holds the whole cell: later grids never answer here
				}
			}
			cl.last = int32(len(ix.tests))
			if cl.last == cl.first {
				ix.cells[k] = cl.fallback
				continue
			}
			ix.cells[k] = int32(-2 - len(ix.mixed))
			ix.mixed = append(ix.mixed, cl)
		}
	}
}
