package sim

import (
	"context"
	"errors"
	"hash/maphash"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// sender posts the prepared bodies on an open-loop schedule: body i is due
// at start + i/rate whatever the answers to earlier ones, so a slow server
// shows up as latency rather than as a lower rate. Workers POST
// concurrently; each keeps one keep-alive connection.
type sender struct {
	poster  *Poster
	token   string
	bodies  [][]byte
	rate    float64
	workers int
	seed    maphash.Seed
	base    time.Time

	mu       sync.Mutex
	statuses map[string]int // non-2xx answers by status ("net" for no answer)
}

// run sends every body and returns when all are answered; sends[i] records
// body i. Only a cancelled ctx stops it early.
func (s *sender) run(ctx context.Context, sends []sendRec) {
	s.statuses = map[string]int{}
	due := make(chan int, len(s.bodies)) // never blocks the pacer: the schedule is kept even when workers lag
	var wg sync.WaitGroup
	for range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range due {
				s.send(ctx, i, &sends[i])
			}
		}()
	}
	start := time.Now()
	interval := float64(time.Second) / s.rate
	for i := 0; i < len(s.bodies); {
		// Everything due by now goes out; then sleep until the next one.
		// Batching what a coarse timer wakeup let pile up keeps the average
		// rate exact without a busy loop.
		elapsed := time.Since(start)
		for i < len(s.bodies) && time.Duration(float64(i)*interval) <= elapsed {
			sends[i].due = start.Add(time.Duration(float64(i) * interval)).Sub(s.base).Nanoseconds()
			due <- i
			i++
		}
		if i < len(s.bodies) && !sleepUntil(ctx, start.Add(time.Duration(float64(i)*interval))) {
			break
		}
	}
	close(due)
	wg.Wait()
}

// send posts body i once: one POST per event, no retry, so the published
// count and the latencies are those of single attempts.
func (s *sender) send(ctx context.Context, i int, rec *sendRec) {
	rec.at = time.Since(s.base).Nanoseconds()
	ack, err := s.poster.Post(ctx, s.token, s.bodies[i])
	rec.ackAt = time.Since(s.base).Nanoseconds()
	if err == nil {
		rec.ok = true
		rec.idHash = maphash.String(s.seed, ack.ID)
		return
	}
	key := "net"
	var se *StatusError
	if errors.As(err, &se) {
		key = strconv.Itoa(se.Status)
	}
	s.mu.Lock()
	s.statuses[key]++
	s.mu.Unlock()
}

// newLoadHTTPClient returns a client whose pool holds one keep-alive
// connection per worker, so no POST waits for a TCP handshake.
func newLoadHTTPClient(workers int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = workers
	t.MaxIdleConnsPerHost = workers
	t.MaxConnsPerHost = workers
	t.DisableCompression = true
	return &http.Client{Transport: t, Timeout: 10 * time.Second}
}
