package grid_test

import (
	"testing"
	"github.com/gridcc/gridcc/backend/grid"
)

func TestRealDebug(t *testing.T) {
	d := MustLoadGeodata(t)
	grid.DebugIndex(d, t)
	b := d.Boundary.Bound()
	t.Logf("bbox %v km x %v km", (b.Max[0]-b.Min[0])*93, (b.Max[1]-b.Min[1])*111)
}
