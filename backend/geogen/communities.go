package geogen

import (
	"math"

	"github.com/paulmach/orb"
)

// growCommunities splits one street's grids (members, a connected set) into
// m contiguous communities of about equal size and returns each member's
// community, 0..m-1, by position in members.
//
// It is balanced region growing: every community starts from one seed grid,
// and the smallest community that can still grow takes the free neighbouring
// grid nearest its centre. Growing only into neighbours keeps communities
// contiguous by construction; always letting the smallest grow keeps sizes
// even, which k-means alone does not. Three rounds re-seed from the centres
// of the previous round so the shapes settle.
func growCommunities(members []int, cells []cellInfo, adj [][]nbr, m int) []int {
	n := len(members)
	local := make(map[int]int, n)
	pos := make([]orb.Point, n)
	for i, g := range members {
		local[g] = i
		pos[i] = cells[g].centre
	}
	nbrs := make([][]int, n)
	for i, g := range members {
		for _, nb := range adj[g] {
			if j, ok := local[nb.j]; ok {
				nbrs[i] = append(nbrs[i], j)
			}
		}
	}
	centres := spreadCentres(pos, m)
	kmeans(pos, ones(n), centres, 20)
	var label []int
	for round := 0; round < 3; round++ {
		label = grow(pos, nbrs, centres)
		centres = groupMeans(pos, label, m)
	}
	return label
}

// spreadCentres picks m well-spread starting points: the point farthest from
// the mean, then repeatedly the point farthest from those already picked.
func spreadCentres(pos []orb.Point, m int) []orb.Point {
	mean := groupMeans(pos, make([]int, len(pos)), 1)[0]
	minD := make([]float64, len(pos))
	for i := range minD {
		minD[i] = math.Inf(1)
	}
	var out []orb.Point
	ref := mean
	for len(out) < m {
		best, bestD := 0, -1.0
		for i, p := range pos {
			if len(out) > 0 {
				minD[i] = math.Min(minD[i], dist(p, ref))
			} else {
				minD[i] = dist(p, mean)
			}
			if minD[i] > bestD {
				best, bestD = i, minD[i]
			}
		}
		ref = pos[best]
		out = append(out, ref)
		minD[best] = 0
	}
	return out
}

// grow runs one round of balanced region growing from the grids nearest the
// centres.
func grow(pos []orb.Point, nbrs [][]int, centres []orb.Point) []int {
	n, m := len(pos), len(centres)
	label := make([]int, n)
	for i := range label {
		label[i] = -1
	}
	size := make([]int, m)
	for g, c := range centres {
		best, bestD := -1, math.Inf(1)
		for i, p := range pos {
			if d := dist(p, c); label[i] < 0 && d < bestD {
				best, bestD = i, d
			}
		}
		label[best] = g
		size[g] = 1
	}
	for assigned := m; assigned < n; assigned++ {
		took := false
		for _, g := range bySize(size) {
			best, bestD := -1, math.Inf(1)
			for i := range pos {
				if label[i] >= 0 || !touches(nbrs[i], label, g) {
					continue
				}
				if d := dist(pos[i], centres[g]); d < bestD {
					best, bestD = i, d
				}
			}
			if best >= 0 {
				label[best] = g
				size[g]++
				took = true
				break
			}
		}
		if !took {
			break // the rest is unreachable; cannot happen for a connected street
		}
	}
	return label
}

func touches(nbrs []int, label []int, g int) bool {
	for _, j := range nbrs {
		if label[j] == g {
			return true
		}
	}
	return false
}

// bySize lists group indices by increasing size, ties by index.
func bySize(size []int) []int {
	order := make([]int, len(size))
	for i := range order {
		order[i] = i
	}
	for i := 1; i < len(order); i++ { // insertion sort: m is small
		for j := i; j > 0 && size[order[j]] < size[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	return order
}

// groupMeans returns the mean position of each of m groups.
func groupMeans(pos []orb.Point, label []int, m int) []orb.Point {
	sum := make([]orb.Point, m)
	cnt := make([]float64, m)
	for i, p := range pos {
		if l := label[i]; l >= 0 {
			sum[l] = orb.Point{sum[l][0] + p[0], sum[l][1] + p[1]}
			cnt[l]++
		}
	}
	for l := range sum {
		if cnt[l] > 0 {
			sum[l] = orb.Point{sum[l][0] / cnt[l], sum[l][1] / cnt[l]}
		}
	}
	return sum
}

func ones(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}
