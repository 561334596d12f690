package grid_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/paulmach/orb"

	"github.com/gridcc/gridcc/backend/grid"
)

func ExampleDistrict_Locate() {
	d, err := grid.Load("testdata/ok")
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range []orb.Point{
		{114.61, 33.61},  // inside G02, the park in G01's hole
		{114.62, 33.605}, // on the edge between G01 and G04: east wins
		{114.70, 33.61},  // east of the district
	} {
		loc, err := d.Locate(p)
		switch {
		case errors.Is(err, grid.ErrOutsideDistrict):
			fmt.Println(p, "outside")
		case err != nil:
			log.Fatal(err)
		default:
			fmt.Println(p, loc.Grid.ID, loc.Grid.Name, loc.Community.Name, loc.Street.Name)
		}
	}
	// Output:
	// [114.61 33.61] G02 公园网格 西社区 西街道
	// [114.62 33.605] G04 东网格甲 东社区 东街道
	// [114.7 33.61] outside
}
