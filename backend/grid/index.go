package grid

import (
	"math"
)

// index finds the first grid (in id order) containing a point, with exactly
// the answers of a scan over all grids, but testing only a few edges.
//
// It lays a uniform lattice of cells over the grids' joint bounding box.
// Each cell lists the grids to test there in id order, each with only the
// edges of the grid whose y range overlaps the cell's row (an edge outside
// that range cannot be crossed by the ray of a point in the row), and a
// fallback: the grid that contains the whole cell, or none.
//
// A grid none of whose edges comes within margin of a cell contains either
// every point of the cell or none (the ray of every point crosses the same
// edges, up to pairs that cancel out), so it is decided once at build time
// from the cell's centre: dropped if it does not contain it, the cell's
// fallback if it does. Most cells have no test at all. The cell of a point
// is found by monotone arithmetic (col, row), used alike for building and
// lookup, so a point is always filed where the build looked for it.
type index struct {
	minX, minY, maxX, maxY float64 // the grids' joint bounding box
	nx, ny                 int     // columns and rows of cells
	sx, sy                 float64 // cells per degree of x and y
	// cells, row-major, say per cell: >= 0, the ordinal of the grid that
	// holds the whole cell; -1, no grid; <= -2, see mixed[-2-v]. Four
	// bytes a cell keep the lattice in cache.
	cells []int32
	mixed []cell // cells with tests
	tests []test
	edges []edge // per grid and row: the edges overlapping the row
}

// cell is a lattice cell with tests: test grids tests[first:last] in
// order, and if none contains the point, answer fallback (a grid ordinal
// or -1).
type cell struct {
	first, last, fallback int32
}

// test is one grid to test in a cell, with its edges edges[lo:hi].
type test struct {
	grid, lo, hi int32
}

// margin is how close, in degrees (about 0.1 mm), an edge may come to a
// cell before the cell is tested point by point: far more than the
// rounding error of the arithmetic, far less than a cell.
const margin = 1e-9

// maxCells bounds the lattice (4 bytes a cell, 12 more for one with
// tests); cellsPerGrid sets its density below that bound.
const (
	maxCells     = 1 << 18
	cellsPerGrid = 256
)

func (ix *index) col(x float64) int { return min(max(int((x-ix.minX)*ix.sx), 0), ix.nx-1) }
func (ix *index) row(y float64) int { return min(max(int((y-ix.minY)*ix.sy), 0), ix.ny-1) }

// locate returns the ordinal of the first grid containing (x, y), or -1.
func (ix *index) locate(x, y float64) int {
	if !(x >= ix.minX && x <= ix.maxX && y >= ix.minY && y <= ix.maxY) {
		return -1 // also for an index without grids, whose box is empty
	}
	v := ix.cells[ix.row(y)*ix.nx+ix.col(x)]
	if v >= -1 {
		return int(v)
	}
	c := &ix.mixed[-2-v]
	for _, t := range ix.tests[c.first:c.last] {
		if inside(ix.edges[t.lo:t.hi], x, y) {
			return int(t.grid)
		}
	}
	return int(c.fallback)
}

// newIndex builds the index of grids, which are in id order and valid.
func newIndex(grids []*Grid) *index {
	ix := &index{minX: 1, maxX: 0}
	if len(grids) == 0 {
		return ix
	}
	b := grids[0].Bound
	for _, g := range grids[1:] {
		b = b.Union(g.Bound)
	}
	ix.minX, ix.minY, ix.maxX, ix.maxY = b.Min[0], b.Min[1], b.Max[0], b.Max[1]
	// Square cells on the ground: a degree of longitude is cos(lat) as long.
	w := (ix.maxX - ix.minX) * math.Cos(b.Center()[1]*math.Pi/180)
	h := ix.maxY - ix.minY
	n := float64(min(maxCells, cellsPerGrid*len(grids)))
	ix.nx = max(1, int(math.Ceil(math.Sqrt(n*w/h))))
	ix.ny = max(1, int(math.Ceil(n/float64(ix.nx))))
	ix.sx = float64(ix.nx) / (ix.maxX - ix.minX)
	ix.sy = float64(ix.ny) / h

	bands := make([]bands, len(grids))
	for i, g := range grids {
		bands[i] = ix.addBands(g)
	}
	ix.fill(grids, bands)
	return ix
}
