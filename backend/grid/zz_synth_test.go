package grid_test

import (
	"os"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/grid"
	"github.com/paulmach/orb"
)

func synth(tb testing.TB) *grid.District {
	t0 := time.Now()
	d, err := grid.Load(os.Getenv("SYNTH"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("load %v", time.Since(t0))
	return d
}

func TestSynth(t *testing.T) {
	d := synth(t)
	in := 0
	for _, p := range randomPoints(d, 200000) {
		assertSameAnswer(t, d, p)
		if _, err := d.Locate(p); err == nil {
			in++
		}
	}
	for _, g := range d.Grids {
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				for i := 0; i+1 < len(ring); i++ {
					a, b := ring[i], ring[i+1]
					assertSameAnswer(t, d, a)
					assertSameAnswer(t, d, orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
				}
			}
		}
	}
	t.Log(in, len(d.Grids))
	grid.DebugIndex(d, t)
}

func BenchmarkSynthLocate(b *testing.B) {
	d := synth(b)
	pts := randomPoints(d, 1<<16)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkLocation, sinkErr = d.Locate(pts[i&(len(pts)-1)])
	}
}
func BenchmarkSynthBrute(b *testing.B) {
	d := synth(b)
	pts := randomPoints(d, 1<<16)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkLocation, sinkErr = d.LocateBruteForce(pts[i&(len(pts)-1)])
	}
}

func BenchmarkSynthLoad(b *testing.B) {
	for b.Loop() {
		if _, err := grid.Load(os.Getenv("SYNTH")); err != nil {
			b.Fatal(err)
		}
	}
}
