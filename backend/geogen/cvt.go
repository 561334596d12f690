package geogen

import (
	"runtime"
	"sync"

	"github.com/paulmach/orb"
)

// lloyd runs k-means (Lloyd's method) on the samples for the given number
// of iterations, starting from the given centres, and returns the centres:
// the generators of a discrete centroidal Voronoi tessellation. A centre
// that loses all its samples stays where it is.
//
// The nearest-centre search runs on all cores in fixed chunks, each sample's
// answer depending only on the sample and the centres; the sums are then
// taken in sample order, so the result is the same on any machine.
func lloyd(samples, start []orb.Point, iters int, progress Progress) []orb.Point {
	k := len(start)
	centres := append([]orb.Point(nil), start...)
	assign := make([]int32, len(samples))
	sumX := make([]float64, k)
	sumY := make([]float64, k)
	count := make([]int, k)
	workers := runtime.GOMAXPROCS(0)
	for it := 1; it <= iters; it++ {
		tree := newKDTree(centres)
		var wg sync.WaitGroup
		chunk := (len(samples) + workers - 1) / workers
		for lo := 0; lo < len(samples); lo += chunk {
			hi := min(lo+chunk, len(samples))
			wg.Go(func() {
				for i := lo; i < hi; i++ {
					assign[i] = tree.nearest(samples[i], assign[i])
				}
			})
		}
		wg.Wait()
		clear(sumX)
		clear(sumY)
		clear(count)
		for i, p := range samples {
			c := assign[i]
			sumX[c] += p[0]
			sumY[c] += p[1]
			count[c]++
		}
		for c := range centres {
			if count[c] > 0 {
				centres[c] = orb.Point{sumX[c] / float64(count[c]), sumY[c] / float64(count[c])}
			}
		}
		progress("CVT iteration", it, iters)
	}
	return centres
}

// stratify picks k of the points, evenly spaced along their Hilbert order.
// Every stretch of the curve, and so every region, gets its fair share of
// starting centres; a plain random pick leaves clumps and gaps that Lloyd's
// method is slow to even out, least of all in a narrow lobe of the outline.
func stratify(pts []orb.Point, k int, b orb.Bound) []orb.Point {
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	hilbertSort(order, func(i int) orb.Point { return pts[i] }, b)
	out := make([]orb.Point, k)
	for j := range out {
		out[j] = pts[order[(2*j+1)*len(pts)/(2*k)]]
	}
	return out
}
