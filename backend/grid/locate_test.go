package grid_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/grid"
)

// The fixture testdata/ok is the rectangle [114.60, 114.64] × [33.60, 33.63]:
//
//	33.63 +-----------------+-----------------+
//	      |       G03       |       G06       |
//	33.62 +-----------------+--------+--------+
//	      |  G01   +----+   |  G05   |  G04   |
//	      |        |G02 |   +--------+--------+
//	      |        +----+   |  G04   |  G05   |
//	33.60 +-----------------+--------+--------+
//	   114.60            114.62   114.63   114.64
//
// G02 fills the hole of G01 ([114.605, 114.615] × [33.605, 33.615]); G04
// and G05 are MultiPolygons of two squares each, meeting at [114.63, 33.61].
func TestLocate(t *testing.T) {
	d := MustLoad(t, "testdata/ok")
	for _, tc := range []struct {
		name string
		p    orb.Point
		want string // grid id; "" for ErrOutsideDistrict
	}{
		{"G01", orb.Point{114.602, 33.602}, "G01"},
		{"G02InTheHoleOfG01", orb.Point{114.61, 33.61}, "G02"},
		{"G03", orb.Point{114.61, 33.625}, "G03"},
		{"G04FirstPart", orb.Point{114.625, 33.605}, "G04"},
		{"G04SecondPart", orb.Point{114.635, 33.615}, "G04"},
		{"G05FirstPart", orb.Point{114.635, 33.605}, "G05"},
		{"G05SecondPart", orb.Point{114.625, 33.615}, "G05"},
		{"G06", orb.Point{114.63, 33.625}, "G06"},
		{"SharedNorthSouthEdgeGoesEast", orb.Point{114.62, 33.605}, "G04"},
		{"SharedEastWestEdgeGoesNorth", orb.Point{114.61, 33.62}, "G03"},
		{"HoleWestEdgeGoesEastToG02", orb.Point{114.605, 33.61}, "G02"},
		{"HoleEastEdgeGoesEastToG01", orb.Point{114.615, 33.61}, "G01"},
		{"HoleSouthEdgeGoesNorthToG02", orb.Point{114.61, 33.605}, "G02"},
		{"HoleNorthEdgeGoesNorthToG01", orb.Point{114.61, 33.615}, "G01"},
		{"HoleSouthWestCornerGoesToG02", orb.Point{114.605, 33.605}, "G02"},
		{"CornerOfFourGoesNorthEast", orb.Point{114.63, 33.61}, "G04"},
		{"CornerOfG01G03G05G06GoesNorthEast", orb.Point{114.62, 33.62}, "G06"},
		{"DistrictWestEdgeIsInside", orb.Point{114.60, 33.61}, "G01"},
		{"DistrictSouthEdgeIsInside", orb.Point{114.61, 33.60}, "G01"},
		{"DistrictSouthWestCornerIsInside", orb.Point{114.60, 33.60}, "G01"},
		{"ErrOutsideDistrictOnEastEdge", orb.Point{114.64, 33.61}, ""},
		{"ErrOutsideDistrictOnNorthEdge", orb.Point{114.61, 33.63}, ""},
		{"ErrOutsideDistrictSouthEastCorner", orb.Point{114.64, 33.60}, ""},
		{"ErrOutsideDistrict", orb.Point{114.70, 33.61}, ""},
		{"ErrOutsideDistrictNullIsland", orb.Point{0, 0}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for name, locate := range map[string]func(orb.Point) (grid.Location, error){
				"Locate": d.Locate, "LocateBruteForce": d.LocateBruteForce,
			} {
				loc, err := locate(tc.p)
				if tc.want == "" {
					if !errors.Is(err, grid.ErrOutsideDistrict) || loc.Grid != nil || apperr.CodeOf(err) != apperr.OutsideDistrict {
						t.Errorf("%s(%v) = %v, %v; want ErrOutsideDistrict", name, tc.p, loc.Grid, err)
					}
					continue
				}
				if err != nil || loc.Grid == nil || loc.Grid.ID != tc.want {
					t.Errorf("%s(%v) = %v, %v; want %s", name, tc.p, loc.Grid, err, tc.want)
					continue
				}
				if loc.Community == nil || loc.Community.ID != loc.Grid.CommunityID || loc.Street == nil || loc.Street.Code != loc.Grid.StreetCode {
					t.Errorf("%s(%v): community %v, street %v; want the grid's", name, tc.p, loc.Community, loc.Street)
				}
			}
		})
	}
}

func TestLocate_ErrInvalidPoint(t *testing.T) {
	d := MustLoad(t, "testdata/ok")
	for _, p := range []orb.Point{
		{math.NaN(), 33.61}, {114.61, math.NaN()}, {math.Inf(1), 33.61}, {114.61, math.Inf(-1)},
		{180.5, 33.61}, {-181, 0}, {114.61, 90.01}, {114.61, -91},
	} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			for name, locate := range map[string]func(orb.Point) (grid.Location, error){
				"Locate": d.Locate, "LocateBruteForce": d.LocateBruteForce,
			} {
				loc, err := locate(p)
				if !errors.Is(err, grid.ErrInvalidPoint) || errors.Is(err, grid.ErrOutsideDistrict) || loc.Grid != nil {
					t.Errorf("%s(%v) = %v, %v; want ErrInvalidPoint", name, p, loc.Grid, err)
				}
				if apperr.CodeOf(err) != apperr.Invalid {
					t.Errorf("%s(%v): code %s, want %s", name, p, apperr.CodeOf(err), apperr.Invalid)
				}
			}
		})
	}
}

// lattice returns the points of a lattice with the given step (in units of
// 0.0001°) over [x0, x1] × [y0, y1], each parsed from its decimal so that
// it falls exactly on the fixture's edges and corners.
func lattice(tb testing.TB, x0, y0, x1, y1 float64, step int) []orb.Point {
	tb.Helper()
	dec := func(v float64, i int) float64 {
		f, err := strconv.ParseFloat(strconv.FormatFloat(v+float64(i)/1e4, 'f', 4, 64), 64)
		if err != nil {
			tb.Fatal(err)
		}
		return f
	}
	var pts []orb.Point
	for i := 0; dec(x0, i) <= x1; i += step {
		for j := 0; dec(y0, j) <= y1; j += step {
			pts = append(pts, orb.Point{dec(x0, i), dec(y0, j)})
		}
	}
	return pts
}

// TestLocate_OneGridPerPoint checks the boundary rule on every lattice point
// of the fixture, edges and corners included: a point of the district's
// half-open box [114.60, 114.64) × [33.60, 33.63) is in exactly one grid,
// any other point in none, and Locate agrees with LocateBruteForce.
func TestLocate_OneGridPerPoint(t *testing.T) {
	d := MustLoad(t, "testdata/ok")
	for _, p := range lattice(t, 114.595, 33.595, 114.645, 33.635, 25) {
		n := 0
		for _, g := range d.Grids {
			if g.Contains(p) {
				n++
			}
		}
		want := 0
		if p[0] >= 114.60 && p[0] < 114.64 && p[1] >= 33.60 && p[1] < 33.63 {
			want = 1
		}
		if n != want {
			t.Errorf("%v is in %d grids, want %d", p, n, want)
		}
		assertSameAnswer(t, d, p)
	}
}

func TestLocate_MatchesBruteForceOnFixture(t *testing.T) {
	d := MustLoad(t, "testdata/ok")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		assertSameAnswer(t, d, orb.Point{114.595 + 0.05*rng.Float64(), 33.595 + 0.04*rng.Float64()})
	}
}

// assertSameAnswer fails the test if Locate and LocateBruteForce answer p
// differently, and returns Locate's answer.
func assertSameAnswer(tb testing.TB, d *grid.District, p orb.Point) (grid.Location, error) {
	tb.Helper()
	got, gotErr := d.Locate(p)
	want, wantErr := d.LocateBruteForce(p)
	if got != want || !errors.Is(gotErr, wantErr) {
		tb.Fatalf("at %v: Locate = %v, %v; LocateBruteForce = %v, %v", p, gridID(got), gotErr, gridID(want), wantErr)
	}
	return got, gotErr
}

func gridID(loc grid.Location) string {
	if loc.Grid == nil {
		return "(none)"
	}
	return loc.Grid.ID
}

func TestLocate_DoesNotAllocate(t *testing.T) {
	d := MustLoad(t, "testdata/ok")
	p := orb.Point{114.61, 33.61}
	if n := testing.AllocsPerRun(100, func() { _, _ = d.Locate(p) }); n != 0 {
		t.Errorf("Locate allocates %v times, want 0", n)
	}
}
