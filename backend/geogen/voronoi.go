package geogen

import (
	"fmt"

	"github.com/paulmach/orb"
)

// voronoiCell is the Voronoi cell of one generator as a counter-clockwise
// cycle of Voronoi vertices. Vertex k is the circumcentre of triangle
// tris[k]; edge k runs from vertex k to vertex k+1 and separates the cell
// from generator nbrs[k]. Because each vertex is one triangle's
// circumcentre, computed once, neighbouring cells share bit-identical corners.
type voronoiCell struct {
	tris []int32
	nbrs []int32
}

// voronoi derives the cells of the first n points (the real generators) from
// the triangulation, and the circumcentre of every triangle.
func voronoi(t *triangulation, n int) ([]voronoiCell, []orb.Point, error) {
	centres := make([]orb.Point, len(t.tris))
	// byEdge maps the directed edge a→b to the triangle that holds it.
	byEdge := make(map[[2]int32]int32, 3*len(t.tris))
	first := make([]int32, len(t.pts))
	for i := range first {
		first[i] = -1
	}
	for ti, tr := range t.tris {
		centres[ti] = circumcentre(t.pts[tr[0]], t.pts[tr[1]], t.pts[tr[2]])
		for k := 0; k < 3; k++ {
			byEdge[[2]int32{tr[k], tr[(k+1)%3]}] = int32(ti)
			if first[tr[k]] < 0 {
				first[tr[k]] = int32(ti)
			}
		}
	}
	cells := make([]voronoiCell, n)
	for a := int32(0); a < int32(n); a++ {
		ti := first[a]
		if ti < 0 {
			return nil, nil, fmt.Errorf("voronoi: generator %d is in no triangle", a)
		}
		var c voronoiCell
		for {
			tr := t.tris[ti]
			k := 0
			for tr[k] != a {
				k++
			}
			// Triangle (a, b, c) CCW: the next triangle counter-clockwise
			// around a holds the directed edge a→c, and the Voronoi edge
			// between the two circumcentres is dual to a–c.
			nb := tr[(k+2)%3]
			c.tris = append(c.tris, ti)
			c.nbrs = append(c.nbrs, nb)
			next, ok := byEdge[[2]int32{a, nb}]
			if !ok {
				return nil, nil, fmt.Errorf("voronoi: generator %d is on the hull", a)
			}
			if next == first[a] {
				break
			}
			if len(c.tris) > len(t.tris) {
				return nil, nil, fmt.Errorf("voronoi: fan of generator %d does not close", a)
			}
			ti = next
		}
		cells[a] = c
	}
	return cells, centres, nil
}

// edgeTo returns the index of the cell's edge that faces generator a, or -1.
func (c voronoiCell) edgeTo(a int32) int {
	for k, nb := range c.nbrs {
		if nb == a {
			return k
		}
	}
	return -1
}
