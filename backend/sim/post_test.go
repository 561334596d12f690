package sim

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// fakeIngest answers the given statuses in turn, then 202.
func fakeIngest(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" || r.URL.Path != "/api/v1/events" {
			t.Errorf("request %s %v", r.URL.Path, r.Header)
		}
		n := int(calls.Add(1))
		if n <= len(statuses) {
			if statuses[n-1] == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "0")
			}
			w.WriteHeader(statuses[n-1])
			_, _ = w.Write([]byte(`{"error":{"code":"x","message":"y"}}`))
			return
		}
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"id":"e-1","seq":9,"grid_id":"g","street_code":"s","duplicate":false}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestPostRetry(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int
		attempts int
		wantErr  int // status of the final error; 0 for success
	}{
		{"OK", nil, 1, 0},
		{"OK_after503and429", []int{503, 429, 500}, 4, 0},
		{"ErrInvalidNotRetried", []int{400}, 1, 400},
		{"ErrConflictNotRetried", []int{409}, 1, 409},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := fakeIngest(t, tc.statuses...)
			p := &Poster{URL: srv.URL, Backoff: time.Millisecond}
			ack, attempts, err := p.PostRetry(context.Background(), "tok", []byte(`{}`))
			if attempts != tc.attempts || int(calls.Load()) != tc.attempts {
				t.Errorf("attempts = %d (server saw %d), want %d", attempts, calls.Load(), tc.attempts)
			}
			var se *StatusError
			switch {
			case tc.wantErr == 0 && (err != nil || ack.ID != "e-1" || ack.Seq != 9):
				t.Errorf("PostRetry = %+v, %v", ack, err)
			case tc.wantErr != 0 && (!errors.As(err, &se) || se.Status != tc.wantErr):
				t.Errorf("PostRetry error = %v, want status %d", err, tc.wantErr)
			}
		})
	}
}

func TestPostRetryStopsWithContext(t *testing.T) {
	srv, _ := fakeIngest(t, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := &Poster{URL: srv.URL, Backoff: time.Hour}
	if _, _, err := p.PostRetry(ctx, "tok", []byte(`{}`)); err == nil {
		t.Error("PostRetry with a cancelled context succeeded")
	}
}
