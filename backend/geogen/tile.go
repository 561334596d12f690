package geogen

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// tiling is the Voronoi diagram of the generators clipped to the district:
// faces over one shared mesh, and the grid (generator index) owning each face.
type tiling struct {
	m     *mesh
	faces []face
	owner []int32
}

// Tolerances of the tiling, in metres and as a fraction.
const (
	// contractEps is the shortest edge kept; 1e-6° is about 0.1 m here, so
	// shorter edges could fold once rounded.
	contractEps = 0.5
	// sliverFrac: a piece of a cell smaller than this fraction of the cell's
	// largest piece joins the neighbour it shares the most edge with.
	sliverFrac = 0.25
)

// buildTiling clips the Voronoi cells of gens to the outline. outline holds
// the outline's lon/lat vertices counter-clockwise, without the closing one.
func buildTiling(outline []orb.Point, pr projection, gens []orb.Point, progress Progress) (*tiling, error) {
	m := &mesh{}
	ids := make([]int32, len(outline))
	proj := make([]orb.Point, len(outline))
	for i, ll := range outline {
		proj[i] = pr.forward(ll)
		ids[i] = m.add(proj[i], kindOutline)
		m.ll[ids[i]] = ll
	}
	tri, err := delaunay(gens)
	if err != nil {
		return nil, err
	}
	cells, centres, err := voronoi(tri, len(gens))
	if err != nil {
		return nil, err
	}
	vorBase := int32(len(m.pts))
	for _, c := range centres {
		m.add(c, kindVoronoi)
	}
	c := &clipper{m: m, cells: cells, vorBase: vorBase}
	start, startCell := walkStart(proj, gens)
	if err := c.walk(ids, start, startCell); err != nil {
		return nil, err
	}
	inside := newBandIndex(proj, 256)
	var faces []face
	for i := range cells {
		if (i+1)%100 == 0 || i+1 == len(cells) {
			progress("clipping cells", i+1, len(cells))
		}
		if len(c.runs[i]) == 0 {
			// Untouched by the outline: wholly inside or wholly outside.
			if inside.contains(gens[i]) {
				ring := make([]int32, len(cells[i].tris))
				for k, t := range cells[i].tris {
					ring[k] = vorBase + t
				}
				faces = append(faces, face{cell: int32(i), ring: ring})
			}
			continue
		}
		rings, err := c.pieces(int32(i))
		if err != nil {
			return nil, err
		}
		for _, r := range rings {
			faces = append(faces, face{cell: int32(i), ring: r})
		}
	}
	if faces, err = m.contract(faces, contractEps); err != nil {
		return nil, err
	}
	if err := checkTiling(m, faces, proj); err != nil {
		return nil, err
	}
	owner, err := assignFaces(m, faces, len(gens))
	if err != nil {
		return nil, err
	}
	return &tiling{m: m, faces: faces, owner: owner}, nil
}

// walkStart picks the outline vertex farthest from any Voronoi edge (the
// largest gap to the bisector of its two nearest generators) so the walk
// starts in a cell it is unambiguously inside.
func walkStart(outline, gens []orb.Point) (int, int32) {
	best, bestGap, bestCell := 0, -1.0, int32(0)
	for i, p := range outline {
		n1, n2 := -1, -1
		d1, d2 := math.Inf(1), math.Inf(1)
		for g, q := range gens {
			d := dist(p, q)
			switch {
			case d < d1:
				n2, d2 = n1, d1
				n1, d1 = g, d
			case d < d2:
				n2, d2 = g, d
			}
		}
		gap := (d2*d2 - d1*d1) / (2 * dist(gens[n1], gens[n2]))
		if gap > bestGap {
			best, bestGap, bestCell = i, gap, int32(n1)
		}
	}
	return best, bestCell
}

// checkTiling verifies that no two faces overlap along an edge and that the
// faces' areas add up to the outline's.
func checkTiling(m *mesh, faces []face, outline []orb.Point) error {
	if _, err := edgeFaces(faces); err != nil {
		return err
	}
	sum := 0.0
	for _, f := range faces {
		sum += m.area(f.ring)
	}
	want := signedArea(outline)
	if math.Abs(sum-want) > 1e-6*want {
		return fmt.Errorf("tiling: faces cover %.1f m², the outline %.1f m²", sum, want)
	}
	return nil
}
