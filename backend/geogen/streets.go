package geogen

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// clusterStreets groups the grids into len(anchors) contiguous streets and
// returns each grid's street, an index into anchors (GRIDS.md §4 step 5).
// It runs k-means on grid centroids weighted by area·ρ^power, started from
// the anchors; moves enclaves to the street around them; and finally gives
// the names to the clusters by an optimal matching of cluster centroids to
// anchors, so each name lands at its compass position even where k-means
// drifted. A power above 1 draws more clusters into the dense core, where
// the old town's small streets are.
func clusterStreets(cells []cellInfo, adj [][]nbr, anchors []orb.Point, den density, power float64) ([]int, error) {
	k := len(anchors)
	pos := make([]orb.Point, len(cells))
	mass := make([]float64, len(cells))
	for i, c := range cells {
		pos[i] = c.centre
		mass[i] = c.area * math.Pow(den.at(c.centre), power)
	}
	centres := append([]orb.Point(nil), anchors...)
	label := kmeans(pos, mass, centres, 100)
	if err := makeContiguous(label, adj, k); err != nil {
		return nil, err
	}
	means := groupMeans(pos, label, k)
	cost := make([][]float64, k)
	for c := range cost {
		cost[c] = make([]float64, k)
		for a := range cost[c] {
			cost[c][a] = sq(dist(means[c], anchors[a]))
		}
	}
	name := assignment(cost)
	for i := range label {
		label[i] = name[label[i]]
	}
	count := make([]int, k)
	for _, l := range label {
		count[l]++
	}
	for s, c := range count {
		if c == 0 {
			return nil, fmt.Errorf("streets: street %d got no grids", s)
		}
	}
	return label, nil
}

// kmeans runs weighted Lloyd iterations from the given centres (updated in
// place) until no label changes, and returns each point's cluster. A cluster
// that empties keeps its centre.
func kmeans(pos []orb.Point, w []float64, centres []orb.Point, iters int) []int {
	label := make([]int, len(pos))
	for i := range label {
		label[i] = -1
	}
	for it := 0; it < iters; it++ {
		changed := false
		for i, p := range pos {
			best, bestD := 0, math.Inf(1)
			for c, q := range centres {
				if d := dist(p, q); d < bestD {
					best, bestD = c, d
				}
			}
			if label[i] != best {
				label[i], changed = best, true
			}
		}
		if !changed {
			break
		}
		sx := make([]float64, len(centres))
		sy := make([]float64, len(centres))
		sw := make([]float64, len(centres))
		for i, p := range pos {
			l := label[i]
			sx[l] += w[i] * p[0]
			sy[l] += w[i] * p[1]
			sw[l] += w[i]
		}
		for c := range centres {
			if sw[c] > 0 {
				centres[c] = orb.Point{sx[c] / sw[c], sy[c] / sw[c]}
			}
		}
	}
	return label
}

// makeContiguous makes every label's grids one connected piece: any piece but
// a label's largest moves, whole, to the neighbouring label it shares the
// most boundary with. Moving a piece never splits another label, so this
// settles in a round or two.
func makeContiguous(label []int, adj [][]nbr, k int) error {
	for round := 0; round < 20; round++ {
		comps := components(label, adj)
		largest := make([]int, k)
		for i := range largest {
			largest[i] = -1
		}
		for ci, comp := range comps {
			l := label[comp[0]]
			if largest[l] < 0 || len(comp) > len(comps[largest[l]]) {
				largest[l] = ci
			}
		}
		moved := false
		for ci, comp := range comps {
			l := label[comp[0]]
			if ci == largest[l] {
				continue
			}
			in := make(map[int]bool, len(comp))
			for _, c := range comp {
				in[c] = true
			}
			score := make([]float64, k)
			for _, c := range comp {
				for _, nb := range adj[c] {
					if !in[nb.j] {
						score[label[nb.j]] += nb.length
					}
				}
			}
			best := -1
			for s, v := range score {
				if s != l && v > 0 && (best < 0 || v > score[best]) {
					best = s
				}
			}
			if best < 0 {
				return fmt.Errorf("contiguity: a piece of label %d has no neighbour", l)
			}
			for _, c := range comp {
				label[c] = best
			}
			moved = true
		}
		if !moved {
			return nil
		}
	}
	return fmt.Errorf("contiguity: labels did not settle")
}

// components returns the connected pieces of equal label, each listed in
// breadth-first order from its lowest index; pieces are ordered by that index.
func components(label []int, adj [][]nbr) [][]int {
	seen := make([]bool, len(label))
	var comps [][]int
	for s := range label {
		if seen[s] {
			continue
		}
		seen[s] = true
		comp := []int{s}
		for q := 0; q < len(comp); q++ {
			for _, nb := range adj[comp[q]] {
				if !seen[nb.j] && label[nb.j] == label[s] {
					seen[nb.j] = true
					comp = append(comp, nb.j)
				}
			}
		}
		comps = append(comps, comp)
	}
	return comps
}
