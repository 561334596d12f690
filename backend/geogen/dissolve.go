package geogen

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// polygon is a polygon of vertex ids: ring 0 is the counter-clockwise
// exterior, the others clockwise holes. Rings are open.
type polygon [][]int32

// dissolve returns the union of faces that do not overlap, as polygons
// sorted by decreasing area. Since the faces come from one mesh, an edge two
// of them share appears once in each direction; cancelling those pairs
// leaves exactly the union's boundary, which is chained into rings. Where
// the boundary touches itself at a vertex, the chain takes the leftmost
// turn, which keeps every ring simple.
func dissolve(m *mesh, rings [][]int32) ([]polygon, error) {
	edges := make(map[uint64]bool)
	for _, r := range rings {
		for i, u := range r {
			k := edgeKey(u, r[(i+1)%len(r)])
			if edges[k] {
				return nil, fmt.Errorf("dissolve: edge %d→%d used twice", u, r[(i+1)%len(r)])
			}
			edges[k] = true
		}
	}
	out := map[int32][]int32{}
	var starts []uint64
	for k := range edges {
		u, v := int32(k>>32), int32(uint32(k))
		if !edges[edgeKey(v, u)] {
			out[u] = append(out[u], v)
			starts = append(starts, k)
		}
	}
	slices.Sort(starts) // map order is random; the output must not be
	used := make(map[uint64]bool, len(starts))
	var exteriors, holes [][]int32
	for _, s := range starts {
		if used[s] {
			continue
		}
		u, v := int32(s>>32), int32(uint32(s))
		used[s] = true
		ring := []int32{u}
		for v != ring[0] {
			ring = append(ring, v)
			next, ok := leftmost(m, u, v, out[v], used)
			if !ok {
				return nil, fmt.Errorf("dissolve: boundary stops at vertex %d", v)
			}
			used[edgeKey(v, next)] = true
			u, v = v, next
		}
		for _, r := range splitRing(ring) {
			if a := m.area(r); a > 0 {
				exteriors = append(exteriors, r)
			} else if a < 0 {
				holes = append(holes, r)
			}
		}
	}
	return assemble(m, exteriors, holes)
}

// leftmost picks, among the unused edges leaving v, the one that turns most
// to the left coming from u.
func leftmost(m *mesh, u, v int32, cands []int32, used map[uint64]bool) (int32, bool) {
	best, bestTurn := int32(-1), math.Inf(-1)
	pu, pv := m.pts[u], m.pts[v]
	din := orb.Point{pv[0] - pu[0], pv[1] - pu[1]}
	for _, w := range cands {
		if used[edgeKey(v, w)] {
			continue
		}
		pw := m.pts[w]
		dout := orb.Point{pw[0] - pv[0], pw[1] - pv[1]}
		turn := math.Atan2(din[0]*dout[1]-din[1]*dout[0], din[0]*dout[0]+din[1]*dout[1])
		if turn > bestTurn || (turn == bestTurn && w < best) {
			best, bestTurn = w, turn
		}
	}
	return best, best >= 0
}

// splitRing cuts a ring that visits a vertex twice into simple rings.
func splitRing(ring []int32) [][]int32 {
	seen := map[int32]int{}
	for i, v := range ring {
		if j, ok := seen[v]; ok {
			inner := append([]int32(nil), ring[j:i]...)
			rest := append(append([]int32(nil), ring[:j]...), ring[i:]...)
			return append(splitRing(inner), splitRing(rest)...)
		}
		seen[v] = i
	}
	return [][]int32{ring}
}

// assemble puts each hole into the smallest exterior that contains it and
// orders the result by decreasing area, each ring starting at its lowest id.
func assemble(m *mesh, exteriors, holes [][]int32) ([]polygon, error) {
	area := make([]float64, len(exteriors))
	polys := make([]polygon, len(exteriors))
	for i, e := range exteriors {
		area[i] = m.area(e)
		polys[i] = polygon{rotateMin(e)}
	}
	for _, h := range holes {
		best := -1
		for i, e := range exteriors {
			if (best < 0 || area[i] < area[best]) && ringInside(m, h, e) {
				best = i
			}
		}
		if best < 0 {
			return nil, fmt.Errorf("dissolve: a hole lies in no exterior")
		}
		polys[best] = append(polys[best], rotateMin(h))
	}
	order := make([]int, len(polys))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(area[b], area[a]); c != 0 {
			return c
		}
		return cmp.Compare(polys[a][0][0], polys[b][0][0])
	})
	out := make([]polygon, len(polys))
	for i, o := range order {
		out[i] = polys[o]
	}
	return out, nil
}

// ringInside reports whether ring h lies inside ring e, testing a vertex of
// h that is not on e (rings of one tiling never cross).
func ringInside(m *mesh, h, e []int32) bool {
	on := map[int32]bool{}
	for _, v := range e {
		on[v] = true
	}
	pe := m.coords(e)
	for _, v := range h {
		if !on[v] {
			return inRing(pe, m.pts[v])
		}
	}
	// Every vertex shared: test the middle of the first edge.
	a, b := m.pts[h[0]], m.pts[h[1]]
	return inRing(pe, orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
}

// rotateMin rotates an open ring to start at its lowest id.
func rotateMin(r []int32) []int32 {
	i := slices.Index(r, slices.Min(r))
	return append(append([]int32(nil), r[i:]...), r[:i]...)
}
