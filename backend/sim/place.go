package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/gridcc/gridcc/backend/grid"
)

// Roads of 周口 downtown, for addresses and titles.
var roads = []string{"七一路", "八一大道", "交通大道", "中州大道", "人民路", "建设大道", "工农路", "太昊路",
	"淮河路", "文昌大道", "汉阳路", "大庆路", "光明路", "五一路", "东大街", "西大街", "新民街", "庆丰街",
	"莲花路", "川汇路", "育新街", "六一路", "富民路", "滨河路", "沙南路", "许昌路", "周口大道", "搬口路"}

// weighted picks indexes with probabilities proportional to their weights.
type weighted struct{ cum []float64 }

func newWeighted(weights []float64) weighted {
	cum := make([]float64, len(weights))
	var s float64
	for i, w := range weights {
		s += w
		cum[i] = s
	}
	return weighted{cum: cum}
}

func (w weighted) pick(rng *rand.Rand) int {
	u := rng.Float64() * w.cum[len(w.cum)-1]
	i, _ := slices.BinarySearch(w.cum, u)
	return min(i, len(w.cum)-1)
}

// gridPicker picks grids with a weight per grid type: people call 12345
// where people live, grid workers patrol every grid.
func gridPicker(d *grid.District, byType map[grid.Type]float64) weighted {
	ws := make([]float64, len(d.Grids))
	for i, g := range d.Grids {
		ws[i] = byType[g.Type]
	}
	return newWeighted(ws)
}

// pointIn returns a uniformly random point inside g that the district's
// locator also places in g (a point exactly on a shared edge could belong to
// the neighbour), or g's label point when sampling keeps missing.
func pointIn(d *grid.District, g *grid.Grid, rng *rand.Rand) orb.Point {
	for range 200 {
		p := orb.Point{
			round6(g.Bound.Min[0] + rng.Float64()*(g.Bound.Max[0]-g.Bound.Min[0])),
			round6(g.Bound.Min[1] + rng.Float64()*(g.Bound.Max[1]-g.Bound.Min[1])),
		}
		if !g.Contains(p) {
			continue
		}
		if loc, err := d.Locate(p); err == nil && loc.Grid == g {
			return p
		}
	}
	return g.Label
}

// round6 rounds degrees to 6 decimals (about 0.1 m), as GPS apps send them.
func round6(v float64) float64 {
	return math.Round(v*1e6) / 1e6
}

// spot is where an event happens: a point in a grid, with its address and a
// short place name for titles.
type spot struct {
	grid    *grid.Grid
	point   orb.Point
	address string // full postal address (personal data: masked on the wall)
	place   string // community-level place for titles, e.g. 清河社区3号楼
	road    string
}

// newSpot draws a point in g and an address that reads like one there.
func newSpot(d *grid.District, g *grid.Grid, rng *rand.Rand) spot {
	s := spot{grid: g, point: pointIn(d, g, rng), road: roads[rng.IntN(len(roads))]}
	street, community := "", ""
	if st, ok := d.Street(g.StreetCode); ok {
		street = st.Name
	}
	if c, ok := d.Community(g.CommunityID); ok {
		community = c.Name
	}
	var b strings.Builder
	b.WriteString(d.Name)
	b.WriteString(street)
	b.WriteString(community)
	if g.Type == grid.TypeRural {
		group := 1 + rng.IntN(12)
		fmt.Fprintf(&b, "%d组%d号", group, 1+rng.IntN(80))
		s.place = fmt.Sprintf("%s%d组", community, group)
	} else {
		building := 1 + rng.IntN(30)
		fmt.Fprintf(&b, "%s%d号院%d号楼%d单元", s.road, 1+rng.IntN(300), building, 1+rng.IntN(4))
		s.place = fmt.Sprintf("%s%d号楼", community, building)
	}
	s.address = b.String()
	return s
}
