package sim

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Poster sends single events to gridcc's POST /api/v1/events.
type Poster struct {
	URL        string        // gridcc's base URL, e.g. http://127.0.0.1:8080
	Client     *http.Client  // nil: a client with a 10 s timeout
	Backoff    time.Duration // first retry delay of PostRetry; doubles up to MaxBackoff; default 1s
	MaxBackoff time.Duration // default 1 min (docs/ingest.md: 1 s, 2 s, 4 s … up to 1 min)
}

// Ack is gridcc's answer to an accepted event (202, or 200 for a duplicate).
type Ack struct {
	ID         string `json:"id"`
	Seq        uint64 `json:"seq"`
	GridID     string `json:"grid_id"`
	StreetCode string `json:"street_code"`
	Duplicate  bool   `json:"duplicate"`
}

// StatusError is a non-2xx answer.
type StatusError struct {
	Status     int
	RetryAfter time.Duration // from the Retry-After header; 0 when absent
	Body       string        // the start of the error body
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("POST /api/v1/events: %d %s", e.Status, e.Body)
}

// Retryable reports whether docs/ingest.md says to send the request again:
// 429, 5xx and network errors; never 4xx, which would fail the same way.
func Retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status == http.StatusTooManyRequests || se.Status >= 500
	}
	return err != nil && !errors.Is(err, context.Canceled)
}

const maxErrorBody = 512

// Post sends body once with the bearer token.
func (p *Poster) Post(ctx context.Context, token string, body []byte) (Ack, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(p.URL, "/")+"/api/v1/events", bytes.NewReader(body))
	if err != nil {
		return Ack{}, fmt.Errorf("sim: build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	c := p.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return Ack{}, fmt.Errorf("sim: POST /api/v1/events: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Ack{}, fmt.Errorf("sim: read answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		se := &StatusError{Status: resp.StatusCode, Body: string(data[:min(len(data), maxErrorBody)])}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			se.RetryAfter = time.Duration(s) * time.Second
		}
		return Ack{}, se
	}
	var ack Ack
	if err := json.Unmarshal(data, &ack); err != nil || ack.ID == "" {
		return Ack{}, fmt.Errorf("sim: answer %d is not an ack: %q", resp.StatusCode, data[:min(len(data), maxErrorBody)])
	}
	return ack, nil
}

// PostRetry sends body until it is acknowledged, a non-retryable answer
// comes back, or ctx ends. Between attempts it waits the back-off, or the
// server's Retry-After when that is longer. Re-sending is safe: kind +
// source_id make the event idempotent. It returns the number of attempts.
func (p *Poster) PostRetry(ctx context.Context, token string, body []byte) (Ack, int, error) {
	backoff := cmp.Or(p.Backoff, time.Second)
	maxBackoff := cmp.Or(p.MaxBackoff, time.Minute)
	for attempt := 1; ; attempt++ {
		ack, err := p.Post(ctx, token, body)
		if err == nil || !Retryable(err) || ctx.Err() != nil {
			return ack, attempt, err
		}
		wait := backoff
		var se *StatusError
		if errors.As(err, &se) && se.RetryAfter > wait {
			wait = se.RetryAfter
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return Ack{}, attempt, fmt.Errorf("sim: gave up after %d attempts: %w", attempt, err)
		case <-t.C:
		}
		backoff = min(2*backoff, maxBackoff)
	}
}
