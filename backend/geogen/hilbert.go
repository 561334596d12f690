package geogen

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// hilbertOrder is the number of bits per axis of the Hilbert curve.
const hilbertOrder = 16

// hilbertIndex returns the position of (x, y), both in [0, 2^order), along
// the Hilbert curve (the classic rotate-and-flip formulation).
func hilbertIndex(x, y uint32) uint64 {
	const n = uint32(1) << hilbertOrder
	var d uint64
	for s := uint32(1) << (hilbertOrder - 1); s > 0; s /= 2 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x = n - 1 - x
				y = n - 1 - y
			}
			x, y = y, x
		}
	}
	return d
}

// hilbertSort orders items by the Hilbert index of their points within the
// bound, so neighbouring grids get nearby sequence numbers. Ties keep the
// input order.
func hilbertSort(items []int, at func(int) orb.Point, b orb.Bound) {
	side := float64(uint32(1)<<hilbertOrder - 1)
	w := max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	key := func(i int) uint64 {
		p := at(i)
		x := uint32(max(0, min(side, (p[0]-b.Min[0])/w*side)))
		y := uint32(max(0, min(side, (p[1]-b.Min[1])/w*side)))
		return hilbertIndex(x, y)
	}
	keys := make(map[int]uint64, len(items))
	for _, i := range items {
		keys[i] = key(i)
	}
	slices.SortStableFunc(items, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
}
