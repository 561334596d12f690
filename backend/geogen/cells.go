package geogen

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// cellInfo summarises one grid of the tiling, in projected metres.
type cellInfo struct {
	faces  []int     // indices of the tiling faces the grid owns
	area   float64   // m²
	centre orb.Point // area centroid
	polys  []polygon // the grid's outline: one polygon, or several parts
	perim  float64   // total length of all its rings, m
}

// cells dissolves each grid's faces into its outline and measures it.
func (t *tiling) cells(n int) ([]cellInfo, error) {
	out := make([]cellInfo, n)
	for fi, g := range t.owner {
		out[g].faces = append(out[g].faces, fi)
	}
	for g := range out {
		c := &out[g]
		var cx, cy float64
		rings := make([][]int32, len(c.faces))
		for i, fi := range c.faces {
			ring := t.faces[fi].ring
			rings[i] = ring
			a := t.m.area(ring)
			p := centroid(t.m.coords(ring))
			c.area += a
			cx += a * p[0]
			cy += a * p[1]
		}
		c.centre = orb.Point{cx / c.area, cy / c.area}
		polys, err := dissolve(t.m, rings)
		if err != nil {
			return nil, err
		}
		c.polys = polys
		for _, p := range polys {
			for _, r := range p {
				c.perim += perimeter(t.m.coords(r))
			}
		}
	}
	return out, nil
}

// nbr is a neighbouring grid and the length of the boundary shared with it.
type nbr struct {
	j      int
	length float64
}

// adjacency lists each grid's neighbours (sharing an edge, not just a
// corner), sorted by index.
func (t *tiling) adjacency(n int) [][]nbr {
	byEdge, _ := edgeFaces(t.faces) // cannot fail: checkTiling passed
	shared := make([]map[int]float64, n)
	for i := range shared {
		shared[i] = map[int]float64{}
	}
	for fi, f := range t.faces {
		a := int(t.owner[fi])
		for i, u := range f.ring {
			v := f.ring[(i+1)%len(f.ring)]
			if g, ok := byEdge[edgeKey(v, u)]; ok && int(t.owner[g]) != a {
				shared[a][int(t.owner[g])] += dist(t.m.pts[u], t.m.pts[v])
			}
		}
	}
	adj := make([][]nbr, n)
	for i, m := range shared {
		for j, l := range m {
			adj[i] = append(adj[i], nbr{j, l})
		}
		slices.SortFunc(adj[i], func(a, b nbr) int { return cmp.Compare(a.j, b.j) })
	}
	return adj
}

// faceRings returns the rings of every face owned by the given grids.
func (t *tiling) faceRings(cells []cellInfo, grids []int) [][]int32 {
	var rings [][]int32
	for _, g := range grids {
		for _, fi := range cells[g].faces {
			rings = append(rings, t.faces[fi].ring)
		}
	}
	return rings
}
