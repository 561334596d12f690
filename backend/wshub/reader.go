package wshub

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gridcc/gridcc/backend/apperr"
)

// shutdownReason is the close reason of 1001 on shutdown.
const shutdownReason = "server shutting down, reconnect"

// readLoop is the connection's only reader. Reading also processes control
// frames, so it runs for the whole connection: pongs extend the read
// deadline, and a peer that stays silent past PongWait is dropped.
func (c *client) readLoop() {
	defer close(c.readerDone)
	defer c.recoverPanic("reader")
	o := c.hub.opts
	c.conn.SetReadLimit(o.ReadLimit)
	extend := func() error { return c.conn.SetReadDeadline(time.Now().Add(o.PongWait)) }
	_ = extend()
	c.conn.SetPongHandler(func(string) error { return extend() })
	limit := bucket{rate: float64(o.ClientMsgPerS), tokens: float64(o.ClientMsgPerS), last: time.Now()}
	for {
		typ, data, err := c.conn.ReadMessage()
		if err != nil {
			c.close(readCloseInfo(err))
			if errors.Is(err, websocket.ErrReadLimit) {
				c.drainRaw()
			}
			return
		}
		_ = extend()
		if ci, ok := c.handle(typ, data, &limit); !ok {
			c.close(ci)
			c.discardUntilClose()
			return
		}
	}
}

// handle processes one client message; ok false says how to close.
func (c *client) handle(typ int, data []byte, limit *bucket) (ci closeInfo, ok bool) {
	if !limit.allow(time.Now()) {
		return closeInfo{code: CloseTooMany, reason: "too many messages", label: "rate_limited",
			errCode: string(apperr.RateLimited),
			errMsg:  fmt.Sprintf("more than %d messages per second", c.hub.opts.ClientMsgPerS)}, false
	}
	if typ != websocket.TextMessage {
		return badMessage(apperr.New(apperr.Invalid, "only JSON text frames are accepted")), false
	}
	m, err := decodeClientMessage(data)
	if err != nil {
		return badMessage(err), false
	}
	f, err := compileFilter(m.Filter, c.info.Scope)
	if err != nil {
		return closeInfo{code: CloseForbidden, reason: "filter outside your scope", label: "forbidden",
			errCode: string(apperr.Forbidden), errMsg: publicMessage(err)}, false
	}
	c.hub.subscribe(c, m.Since, m.Epoch, f)
	return closeInfo{}, true
}

func badMessage(err error) closeInfo {
	return closeInfo{code: CloseBadMessage, reason: "bad message", label: "bad_message",
		errCode: string(apperr.Invalid), errMsg: publicMessage(err)}
}

// publicMessage is the part of an *apperr.Error that is safe to show.
func publicMessage(err error) string {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return "invalid message"
	}
	if e.Field != "" {
		return e.Message + " (field " + e.Field + ")"
	}
	return e.Message
}

// readCloseInfo says how to close after a read error.
func readCloseInfo(err error) closeInfo {
	var ce *websocket.CloseError
	var ne net.Error
	switch {
	case errors.Is(err, websocket.ErrReadLimit):
		// gorilla has already sent the 1009 close frame itself.
		return closeInfo{code: CloseTooBig, reason: "message too big", label: "too_big"}
	case errors.As(err, &ce):
		return closeInfo{code: websocket.CloseNormalClosure, label: "client_closed"}
	case errors.As(err, &ne) && ne.Timeout():
		return closeInfo{code: CloseGoingAway, reason: "no pong, reconnect", label: "timeout"}
	default:
		return closeInfo{code: CloseGoingAway, reason: "read failed", label: "read_error"}
	}
}

// discardUntilClose keeps reading, and ignoring, the client's messages until
// its close frame (the answer to ours) or closeGrace: closing a TCP socket
// with unread input makes the kernel send RST, which can destroy the error
// message and close frame still in flight to the client.
func (c *client) discardUntilClose() {
	_ = c.conn.SetReadDeadline(time.Now().Add(closeGrace))
	for {
		if _, _, err := c.conn.ReadMessage(); err != nil {
			return
		}
	}
}

// drainRaw is discardUntilClose for a connection gorilla no longer reads
// (after ErrReadLimit): the rest of the oversized message is read off the
// socket directly.
func (c *client) drainRaw() {
	nc := c.conn.NetConn()
	_ = nc.SetReadDeadline(time.Now().Add(closeGrace))
	_, _ = io.Copy(io.Discard, nc)
}

// bucket is a token bucket: rate tokens per second, at most rate stored.
type bucket struct {
	rate   float64
	tokens float64
	last   time.Time
}

func (b *bucket) allow(now time.Time) bool {
	b.tokens = min(b.rate, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
