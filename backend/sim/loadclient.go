package sim

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// wsClient is one WebSocket screen of the load run. Its reader goroutine is
// the only one touching recs until done is closed.
type wsClient struct {
	conn *websocket.Conn
	seed maphash.Seed
	base time.Time

	recs   []recv    // preallocated for the expected events
	msgs   []wireMsg // reused per frame
	buf    []byte    // reused per frame
	events atomic.Int64
	live   chan struct{} // closed at the first live message
	done   chan struct{} // closed when the reader returns

	isLive    bool
	resets    int
	errorMsgs int
	badFrames int
	closing   atomic.Bool // we are closing it: the read error is ours
	closeErr  string      // why the server or the network ended it; "" when we did
}

// hashID is the identity the accounting keys events by: the clients keep
// 8 bytes per received event instead of a 36-byte id string.
func hashID(seed maphash.Seed, id []byte) uint64 { return maphash.Bytes(seed, id) }

// dialClient opens /ws with a bearer token and subscribes from 0. A 429 or
// 503 on the handshake is retried after its Retry-After (screens sharing a
// token share its rate limit) until ctx ends.
func dialClient(ctx context.Context, dialer *websocket.Dialer, wsURL, token string, seed maphash.Seed, base time.Time, expect int) (*wsClient, error) {
	h := http.Header{"Authorization": {"Bearer " + token}}
	for {
		conn, resp, err := dialer.DialContext(ctx, wsURL, h)
		if err == nil {
			c := &wsClient{conn: conn, seed: seed, base: base, recs: make([]recv, 0, expect),
				buf: make([]byte, 0, 4096), live: make(chan struct{}), done: make(chan struct{})}
			if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"subscribe","since":0}`)); err != nil {
				conn.Close()
				return nil, fmt.Errorf("sim: subscribe: %w", err)
			}
			go c.read()
			return c, nil
		}
		if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
			status := ""
			if resp != nil {
				status = " (" + resp.Status + ")"
			}
			return nil, fmt.Errorf("sim: dial %s: %w%s", wsURL, err, status)
		}
		wait := 100 * time.Millisecond
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			wait = time.Duration(s) * time.Second
		}
		if !sleepUntil(ctx, time.Now().Add(wait)) {
			return nil, fmt.Errorf("sim: dial %s: %w", wsURL, ctx.Err())
		}
	}
}

// read records every event message with the time its frame was read. It
// parses only type, seq and data.id (scanFrame) and allocates nothing per
// frame once its buffers have grown.
func (c *wsClient) read() {
	defer close(c.done)
	for {
		_, r, err := c.conn.NextReader()
		if err != nil {
			if !c.closing.Load() {
				c.closeErr = closeReason(err)
			}
			return
		}
		if c.buf, err = readAll(c.buf[:0], r); err != nil {
			if !c.closing.Load() {
				c.closeErr = closeReason(err)
			}
			return
		}
		at := time.Since(c.base).Nanoseconds()
		if c.msgs, err = scanFrame(c.buf, c.msgs[:0]); err != nil {
			c.badFrames++
		}
		for _, m := range c.msgs {
			switch m.typ {
			case typeEvent:
				c.recs = append(c.recs, recv{idHash: hashID(c.seed, m.id), at: at})
				c.events.Add(1)
			case typeLive:
				if !c.isLive {
					c.isLive = true
					close(c.live)
				}
			case typeReset:
				c.resets++
			case typeError:
				c.errorMsgs++
			}
		}
	}
}

// readAll reads r to its end into buf, growing it as needed.
func readAll(buf []byte, r io.Reader) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// closeReason names how a connection ended: the close code, or the error.
func closeReason(err error) string {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return strconv.Itoa(ce.Code)
	}
	if strings.Contains(err.Error(), "unexpected EOF") || errors.Is(err, io.ErrUnexpectedEOF) {
		return "eof"
	}
	return "error"
}

// stop closes the connection and waits for the reader.
func (c *wsClient) stop() {
	c.closing.Store(true)
	_ = c.conn.Close()
	<-c.done
}

// connectAll dials n clients, parallel dials bounded, and waits until every
// one of them received live. On error the clients opened so far are closed.
func connectAll(ctx context.Context, n int, wsURL, token string, seed maphash.Seed, base time.Time, expect int) ([]*wsClient, error) {
	ctx, cancel := context.WithCancel(ctx) // the first failure stops the other dials
	defer cancel()
	dialer := &websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 256}
	clients := make([]*wsClient, n)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	sem := make(chan struct{}, dialParallel)
	for i := range clients {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			c, err := dialClient(ctx, dialer, wsURL, token, seed, base, expect)
			if err == nil {
				select {
				case <-c.live:
				case <-c.done:
					err = fmt.Errorf("sim: client closed before live (%s)", c.closeErr)
				case <-ctx.Done():
					err = fmt.Errorf("sim: waiting for live: %w", ctx.Err())
				}
			}
			mu.Lock()
			defer mu.Unlock()
			clients[i] = c
			if err != nil && firstErr == nil {
				firstErr = err
				cancel()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		for _, c := range clients {
			if c != nil {
				c.stop()
			}
		}
		return nil, firstErr
	}
	return clients, nil
}

// dialParallel bounds the handshakes in flight: enough to open 5,000
// clients in seconds, few enough not to overflow the server's accept queue.
const dialParallel = 64
