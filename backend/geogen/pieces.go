package geogen

import (
	"fmt"
	"slices"
)

// assignFaces decides which grid owns each face. A cell's largest piece, and
// any piece at least sliverFrac of it, stay with the cell (a cell the
// concave outline cuts in two becomes a MultiPolygon); smaller pieces join
// the neighbouring grid they share the most edge length with, so no grid is
// a scatter of slivers.
func assignFaces(m *mesh, faces []face, n int) ([]int32, error) {
	area := make([]float64, len(faces))
	mainFace := make([]int, n)
	for i := range mainFace {
		mainFace[i] = -1
	}
	for fi, f := range faces {
		area[fi] = m.area(f.ring)
		if mf := mainFace[f.cell]; mf < 0 || area[fi] > area[mf] {
			mainFace[f.cell] = fi
		}
	}
	owner := make([]int32, len(faces))
	var small []int
	for fi, f := range faces {
		mf := mainFace[f.cell]
		if fi == mf || area[fi] >= sliverFrac*area[mf] {
			owner[fi] = f.cell
		} else {
			owner[fi] = -1
			small = append(small, fi)
		}
	}
	for g, mf := range mainFace {
		if mf < 0 {
			return nil, fmt.Errorf("tiling: cell %d has no piece inside the district", g)
		}
	}
	byEdge, err := edgeFaces(faces)
	if err != nil {
		return nil, err
	}
	// Smallest first; a sliver whose neighbours are all unassigned slivers
	// waits for a later round.
	slices.SortStableFunc(small, func(a, b int) int {
		switch {
		case area[a] < area[b]:
			return -1
		case area[a] > area[b]:
			return 1
		}
		return 0
	})
	for len(small) > 0 {
		var left []int
		for _, fi := range small {
			shared := map[int32]float64{}
			ring := faces[fi].ring
			for i, u := range ring {
				v := ring[(i+1)%len(ring)]
				if g, ok := byEdge[edgeKey(v, u)]; ok && owner[g] >= 0 {
					shared[owner[g]] += dist(m.pts[u], m.pts[v])
				}
			}
			best, bestLen := int32(-1), 0.0
			for g, l := range shared {
				if l > bestLen || (l == bestLen && g < best) {
					best, bestLen = g, l
				}
			}
			if best < 0 {
				left = append(left, fi)
				continue
			}
			owner[fi] = best
		}
		if len(left) == len(small) {
			return nil, fmt.Errorf("tiling: %d slivers touch no grid", len(left))
		}
		small = left
	}
	return owner, nil
}
