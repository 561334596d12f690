package grid

import "testing"

func DebugIndex(d *District, t testing.TB) {
	ix := d.index
	tests, clean := 0, 0
	maxT := 0
	for _, v := range ix.cells {
		n := 0
		if v < -1 {
			c := ix.mixed[-2-v]
			n = int(c.last - c.first)
		}
		if n == 0 {
			clean++
		}
		maxT = max(maxT, n)
		tests += n
	}
	tot := 0
	for _, tt := range ix.tests {
		tot += int(tt.hi - tt.lo)
	}
	t.Logf("cells %dx%d=%d clean %d tests %d max/cell %d edges %d avg edges/test %.1f", ix.nx, ix.ny, len(ix.cells), clean, tests, maxT, len(ix.edges), float64(tot)/float64(len(ix.tests)))
}
