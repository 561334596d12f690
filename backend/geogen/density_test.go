package geogen

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestDensitySampleFollowsWeight compares sample counts in two equal squares
// with the ratio of the weight integrated over them.
func TestDensitySampleFollowsWeight(t *testing.T) {
	d := density{floor: 1, bumps: []bump{{c: orb.Point{0, 0}, amp: 30, inv2s: 1 / (2 * 3000.0 * 3000)}}}
	box := orb.Bound{Min: orb.Point{-10000, -10000}, Max: orb.Point{10000, 10000}}
	square := []orb.Point{{-10000, -10000}, {10000, -10000}, {10000, 10000}, {-10000, 10000}}
	for _, power := range []float64{1, 2} {
		pts := d.sample(newBandIndex(square, 8), box, 100000, power, newRNG(1, 1))
		var near, far float64 // counts in [-1000,0]² and [3000,4000]²
		for _, p := range pts {
			switch {
			case p[0] >= -1000 && p[0] < 0 && p[1] >= -1000 && p[1] < 0:
				near++
			case p[0] >= 3000 && p[0] < 4000 && p[1] >= 3000 && p[1] < 4000:
				far++
			}
		}
		want := integrate(d, power, -1000, -1000) / integrate(d, power, 3000, 3000)
		if got := near / far; math.Abs(got-want) > 0.1*want {
			t.Errorf("power %v: near/far = %.1f, want %.1f", power, got, want)
		}
	}
}

// integrate sums the weight over the 1 km square with lower-left (x, y).
func integrate(d density, power, x, y float64) float64 {
	s := 0.0
	for i := 0; i < 50; i++ {
		for j := 0; j < 50; j++ {
			s += math.Pow(d.at(orb.Point{x + 20*float64(i) + 10, y + 20*float64(j) + 10}), power)
		}
	}
	return s
}
