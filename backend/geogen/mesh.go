package geogen

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// vertexKind ranks vertices when short edges are contracted: the outline's
// own vertices win, so the district edge keeps its real coordinates.
type vertexKind uint8

const (
	kindOutline  vertexKind = iota // a vertex of the district outline
	kindCrossing                   // where the outline crosses a Voronoi edge
	kindVoronoi                    // a Voronoi vertex (triangle circumcentre)
)

// mesh is the shared vertex table of the tiling. Faces refer to vertices by
// id, so a vertex two faces share is one value: shared edges are identical by
// construction and unions can cancel them by id.
type mesh struct {
	pts  []orb.Point // projected metres
	kind []vertexKind
	ll   []orb.Point // lon/lat; exact input values for outline vertices
}

func (m *mesh) add(p orb.Point, k vertexKind) int32 {
	m.pts = append(m.pts, p)
	m.kind = append(m.kind, k)
	m.ll = append(m.ll, orb.Point{math.NaN(), math.NaN()})
	return int32(len(m.pts) - 1)
}

// face is one piece of a clipped Voronoi cell: an open counter-clockwise
// ring of vertex ids.
type face struct {
	cell int32
	ring []int32
}

func (m *mesh) coords(ring []int32) []orb.Point {
	out := make([]orb.Point, len(ring))
	for i, v := range ring {
		out[i] = m.pts[v]
	}
	return out
}

func (m *mesh) area(ring []int32) float64 { return signedArea(m.coords(ring)) }

// contract merges the endpoints of every edge shorter than eps metres and
// drops what collapses. Such edges come from near-degenerate spots (the
// outline passing a Voronoi vertex, nearly cocircular generators); once
// rounded to 1e-6° they could fold a ring. Merging by id keeps both faces of
// an edge in agreement.
func (m *mesh) contract(faces []face, eps float64) ([]face, error) {
	parent := make([]int32, len(m.pts))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(v int32) int32 {
		for parent[v] != v {
			parent[v] = parent[parent[v]]
			v = parent[v]
		}
		return v
	}
	for _, f := range faces {
		for i, u := range f.ring {
			v := f.ring[(i+1)%len(f.ring)]
			if m.kind[u] == kindOutline && m.kind[v] == kindOutline {
				continue
			}
			if dist(m.pts[u], m.pts[v]) >= eps {
				continue
			}
			ru, rv := find(u), find(v)
			if ru == rv {
				continue
			}
			// The better-ranked vertex survives; ties go to the lower id.
			if m.kind[rv] < m.kind[ru] || (m.kind[rv] == m.kind[ru] && rv < ru) {
				ru, rv = rv, ru
			}
			parent[rv] = ru
		}
	}
	out := faces[:0:0]
	for _, f := range faces {
		ring := make([]int32, len(f.ring))
		for i, v := range f.ring {
			ring[i] = find(v)
		}
		ring = cleanRing(ring)
		if len(ring) < 3 {
			continue
		}
		if m.area(ring) <= 0 {
			return nil, fmt.Errorf("contract: a piece of cell %d folded", f.cell)
		}
		out = append(out, face{cell: f.cell, ring: ring})
	}
	return out, nil
}

// cleanRing removes repeated consecutive ids and spikes (a, b, a) from an
// open ring until none is left; fewer than 3 ids left means it collapsed.
func cleanRing(ring []int32) []int32 {
	for again := true; again && len(ring) >= 3; {
		again = false
		n := len(ring)
		for i := 0; i < n; i++ {
			j, k := (i+1)%n, (i+2)%n
			if ring[i] == ring[j] {
				ring = removeAt(ring, j)
				again = true
				break
			}
			if ring[i] == ring[k] {
				// Drop the spike tip b and the second a, higher index first.
				ring = removeAt(ring, max(j, k))
				ring = removeAt(ring, min(j, k))
				again = true
				break
			}
		}
	}
	return ring
}

func removeAt(s []int32, i int) []int32 { return append(s[:i:i], s[i+1:]...) }

// edgeKey packs a directed edge into a map key.
func edgeKey(u, v int32) uint64 { return uint64(uint32(u))<<32 | uint64(uint32(v)) }

// edgeFaces maps every directed edge to the face that holds it, and fails if
// two faces hold the same directed edge: that would mean they overlap.
func edgeFaces(faces []face) (map[uint64]int, error) {
	byEdge := make(map[uint64]int, 8*len(faces))
	for fi, f := range faces {
		for i, u := range f.ring {
			k := edgeKey(u, f.ring[(i+1)%len(f.ring)])
			if _, dup := byEdge[k]; dup {
				return nil, fmt.Errorf("tiling: edge %d→%d is in two faces", u, f.ring[(i+1)%len(f.ring)])
			}
			byEdge[k] = fi
		}
	}
	return byEdge, nil
}
