package grid

import (
	"fmt"

	"github.com/paulmach/orb"
)

// Location is where a point lies: its grid and the grid's community and
// street.
type Location struct {
	Grid      *Grid
	Community *Community
	Street    *Street
}

// Locate returns the grid containing p ([longitude, latitude], WGS84) with
// its community and street. It does not allocate.
//
// Boundary rule: a point on a boundary is decided as if moved an
// infinitesimal step east (+longitude) and then an even smaller step north
// (+latitude), to where no boundary is. So a point on an edge shared by
// two grids belongs to the grid just east of it or, if the edge runs
// exactly east–west, to the grid just north of it; a corner shared by
// several grids belongs to the one just east-north-east of it; a point on
// the district's outline is inside only where the district lies just east
// (or, on an east–west stretch, just north) of it. Grids that share their
// vertices exactly thus give every point at most one grid; should rounding
// or overlapping data put a point in several, the first by grid id wins.
// (This is the half-open crossing-number test described in pip.go.)
//
// A valid point in no grid returns ErrOutsideDistrict (the grids tile the
// district; see CoverageTolerance). A NaN or infinite coordinate, or one
// outside [-180, 180] × [-90, 90], returns an error wrapping
// ErrInvalidPoint. Locate answers exactly as LocateBruteForce does, only
// faster.
func (d *District) Locate(p orb.Point) (Location, error) {
	if !validPoint(p) {
		return Location{}, invalidPoint(p)
	}
	i := d.index.locate(p[0], p[1])
	if i < 0 {
		return Location{}, ErrOutsideDistrict
	}
	return d.locations[i], nil
}

// LocateBruteForce is Locate by testing every grid in id order: the
// reference that Locate is tested and benchmarked against.
func (d *District) LocateBruteForce(p orb.Point) (Location, error) {
	if !validPoint(p) {
		return Location{}, invalidPoint(p)
	}
	for i, g := range d.Grids {
		if g.area.contains(p) {
			return d.locations[i], nil
		}
	}
	return Location{}, ErrOutsideDistrict
}

// Contains reports whether p lies in g, by the boundary rule of Locate.
func (g *Grid) Contains(p orb.Point) bool { return g.area.contains(p) }

func invalidPoint(p orb.Point) error {
	return fmt.Errorf("grid: locate [%v, %v]: %w", p[0], p[1], ErrInvalidPoint)
}
