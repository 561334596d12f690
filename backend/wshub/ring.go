package wshub

// ringEntry is one recent record, encoded for both views, with the attributes
// a filter needs.
type ringEntry struct {
	seq uint64
	at  attrs
	msg views
}

// ring holds the most recent records, contiguous in seq: records since..seq
// are replayed from here without touching the log. Not safe for concurrent
// use; the hub's lock guards it.
type ring struct {
	buf   []ringEntry
	start int    // index of the oldest entry
	n     int    // entries held
	next  uint64 // seq the next pushed entry must have
}

func newRing(size int) *ring { return &ring{buf: make([]ringEntry, size)} }

// restart empties the ring; the next entry pushed will be seq next.
func (r *ring) restart(next uint64) {
	clear(r.buf)
	r.start, r.n, r.next = 0, 0, next
}

// first returns the oldest seq held, or next when the ring is empty: every
// record with seq >= first that has been applied is in the ring.
func (r *ring) first() uint64 { return r.next - uint64(r.n) }

// push appends e, evicting the oldest entry when full. e.seq must be next.
func (r *ring) push(e ringEntry) {
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = e
		r.n++
	} else {
		r.buf[r.start] = e
		r.start = (r.start + 1) % len(r.buf)
	}
	r.next = e.seq + 1
}

// after appends to dst, in order, the view of every entry with seq > since
// that f passes. since must be >= first()-1.
func (r *ring) after(dst [][]byte, since uint64, f *filter, masked bool) [][]byte {
	skip := 0
	if since >= r.first() {
		skip = int(since - r.first() + 1)
	}
	for i := skip; i < r.n; i++ {
		e := &r.buf[(r.start+i)%len(r.buf)]
		if f.match(e.at) {
			dst = append(dst, e.msg.of(masked))
		}
	}
	return dst
}
