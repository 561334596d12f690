package geogen

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestAssignment(t *testing.T) {
	tests := []struct {
		name string
		cost [][]float64
		want []int
	}{
		{"Identity", [][]float64{{0, 5}, {5, 0}}, []int{0, 1}},
		{"Swapped", [][]float64{{5, 0}, {0, 5}}, []int{1, 0}},
		{"GreedyLoses", [][]float64{{1, 2, 3}, {2, 4, 6}, {3, 6, 9}}, []int{2, 1, 0}},
		{"Classic", [][]float64{{4, 1, 3}, {2, 0, 5}, {3, 2, 2}}, []int{1, 0, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := assignment(tt.cost)
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("assignment = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// lattice returns n×n cells of 100 m at integer positions with
// 4-neighbour adjacency.
func lattice(n int) ([]cellInfo, [][]nbr) {
	cells := make([]cellInfo, n*n)
	adj := make([][]nbr, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			i := y*n + x
			cells[i] = cellInfo{area: 1e4, centre: orb.Point{float64(100 * x), float64(100 * y)}}
			for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				if nx, ny := x+d[0], y+d[1]; nx >= 0 && nx < n && ny >= 0 && ny < n {
					adj[i] = append(adj[i], nbr{ny*n + nx, 100})
				}
			}
		}
	}
	return cells, adj
}

func TestMakeContiguousMovesEnclave(t *testing.T) {
	_, adj := lattice(4)
	label := make([]int, 16)
	for i := range label {
		if i%4 >= 2 {
			label[i] = 1
		}
	}
	label[0] = 1 // an enclave of label 1 in label 0's half
	if err := makeContiguous(label, adj, 2); err != nil {
		t.Fatal(err)
	}
	if label[0] != 0 {
		t.Errorf("enclave kept label %d", label[0])
	}
}

func TestGrowCommunitiesBalancedAndContiguous(t *testing.T) {
	cells, adj := lattice(12)
	members := make([]int, len(cells))
	for i := range members {
		members[i] = i
	}
	const m = 9
	label := growCommunities(members, cells, adj, m)
	size := make([]int, m)
	for _, l := range label {
		size[l]++
	}
	for g, s := range size {
		if s < 12 || s > 20 {
			t.Errorf("community %d has %d of 144 cells, want about 16", g, s)
		}
	}
	for _, comp := range components(label, adj) {
		if n := len(comp); n != size[label[comp[0]]] {
			t.Errorf("community %d is split: a piece of %d of %d", label[comp[0]], n, size[label[comp[0]]])
		}
	}
}
