package geogen

// rng is a small splitmix64 generator. The generator keeps its own instead
// of math/rand so the output for a seed can never change with a Go release:
// the committed geodata must stay byte-identical.
type rng struct{ state uint64 }

// Streams give each stage its own sequence, so changing how many numbers
// one stage draws does not reshuffle every later stage.
const (
	streamSamples uint64 = iota + 1
	streamCVT
	streamNames
	streamSpecials
	streamCameras
	streamWorkers
)

// newRNG returns the generator for one stream of a seed.
func newRNG(seed int64, stream uint64) *rng {
	r := &rng{state: uint64(seed)*0x9e3779b97f4a7c15 ^ stream*0xbf58476d1ce4e5b9}
	r.next() // decorrelate nearby seeds
	return r
}

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float64 returns a uniform number in [0, 1).
func (r *rng) float64() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a uniform integer in [0, n). The modulo bias is below 1e-15
// for the small n used here.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// pick returns a random element of a non-empty list.
func pick[T any](r *rng, list []T) T { return list[r.intn(len(list))] }

// shuffle is a Fisher–Yates shuffle on the generator's own stream.
func shuffle[T any](r *rng, s []T) {
	for i := len(s) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		s[i], s[j] = s[j], s[i]
	}
}
