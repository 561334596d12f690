package wshub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gridcc/gridcc/backend/event"
)

// writeLoop is the connection's only writer (gorilla allows one): it sends
// the queued messages batched into frames, the pings, and the close frame.
// The only other writes are gorilla's own control replies from the reader
// (pong, the close echo, 1009), which go through WriteControl, the one write
// method gorilla allows concurrently.
func (c *client) writeLoop() {
	defer c.recoverPanic("writer")
	ping := time.NewTicker(c.hub.opts.PingPeriod)
	defer ping.Stop()
	gap := c.hub.opts.WriteGap
	pause := time.NewTimer(gap)
	pause.Stop()
	var lastWrite time.Time
	for {
		// Closing wins over pending work: a slow or revoked client must not
		// get more data first.
		select {
		case <-c.done:
			c.finish()
			return
		default:
		}
		select {
		case <-c.done:
		case <-ping.C:
			if err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.hub.opts.WriteTimeout)); err != nil {
				c.close(closeInfo{code: CloseGoingAway, reason: "write failed", label: "write_error"})
			}
		case <-c.wake:
			// Why wait: every write is a syscall and a wake-up of the
			// reader. A message arriving at least gap after the last write
			// goes out at once; one arriving sooner waits for the rest of
			// the gap and shares a frame with what arrives meanwhile, so a
			// busy stream costs one write per gap, not one per record. The
			// timer runs only then: at 10 or 100 records a second most
			// messages need none.
			if wait := gap - time.Since(lastWrite); gap > 0 && wait > 0 {
				pause.Reset(wait)
				select {
				case <-c.done:
					pause.Stop()
					continue
				case <-pause.C:
				}
			}
			if err := c.drain(); err != nil {
				c.close(closeInfo{code: CloseGoingAway, reason: "write failed", label: "write_error"})
				continue
			}
			lastWrite = time.Now()
		}
	}
}

// drain sends everything queued, as few frames as MaxFrameBytes allows.
func (c *client) drain() error {
	items := c.take()
	n := 0
	for _, it := range items {
		n += len(it.b)
	}
	defer c.release(n, items)
	fw := frameWriter{c: c}
	for _, it := range items {
		select {
		case <-c.done:
			// Stop sending, but end the open frame properly: a cut-off
			// JSON array would break the client before it sees the close.
			fw.flush()
			return fw.err
		default:
		}
		switch it.kind {
		case itemRecord:
			if it.seq <= c.last {
				continue // already covered by a snapshot or replay
			}
			fw.add(it.b)
			c.last = it.seq
		case itemStats:
			if it.seq < c.last {
				continue // older than what the client has
			}
			fw.add(it.b)
		case itemPlan:
			fw.flush()
			c.execute(it.plan, &fw)
		}
		if fw.err != nil {
			return fw.err
		}
	}
	fw.flush()
	return fw.err
}

// execute sends a subscribe answer: reset and snapshot, or the replay, then
// live. Afterwards the client is at p.seq (or the fallback's seq).
func (c *client) execute(p *plan, fw *frameWriter) {
	if p.mode == modeLog {
		err := c.replayLog(p, fw)
		if err == nil || c.ctx.Err() != nil { // done, or the client is closing anyway
			return
		}
		slog.Info("wshub: resume from the log impossible; client reset", "client", c.id, "since", p.since, "err", err)
		if p = c.hub.resnapshot(c, resetReason(err)); p == nil {
			return
		}
	}
	if p.mode == modeSnapshot || p.mode == modeReset {
		if p.mode == modeReset {
			fw.add(resetMessage(p.seq, p.epoch, p.reason))
		}
		sortOpen(p.open)
		docs := make([][]byte, len(p.open))
		for i := range p.open {
			docs[i] = p.open[i].doc
		}
		fw.add(snapshotMessage(p.seq, p.epoch, docs, p.stats))
	}
	for _, b := range p.ring {
		fw.add(b)
	}
	if p.mode == modeRing {
		fw.add(statsMessage(p.seq, p.stats))
	}
	fw.add(liveMessage(p.seq))
	c.last = p.seq
}

// replayLog sends the records since < seq <= till from the log and then the
// ring part. It fails without sending anything unless the log returns every
// record of the range: a partial replay would be a silent gap. Write errors
// are left in fw.
func (c *client) replayLog(p *plan, fw *frameWriter) error {
	if c.hub.log == nil {
		return fmt.Errorf("wshub: no log configured: %w", ErrTrimmed)
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.hub.opts.WriteTimeout)
	defer cancel()
	recs, err := c.hub.log.Range(ctx, p.since, p.till)
	if err != nil {
		return fmt.Errorf("wshub: log range (%d, %d]: %w", p.since, p.till, err)
	}
	if err := contiguous(recs, p.since, p.till); err != nil {
		return err
	}
	c.hub.metrics.replays.WithLabelValues(string(modeLog)).Inc()
	for i := range recs {
		if p.filter.match(attrsOf(&recs[i].Event)) {
			fw.add(encodeRecordView(&recs[i], p.masked))
		}
	}
	for _, b := range p.ring {
		fw.add(b)
	}
	fw.add(statsMessage(p.seq, p.stats))
	fw.add(liveMessage(p.seq))
	c.last = p.seq
	return nil
}

// contiguous checks that recs are exactly since+1 … till.
func contiguous(recs []event.Record, since, till uint64) error {
	if uint64(len(recs)) != till-since {
		return fmt.Errorf("wshub: log returned %d records for (%d, %d]: %w", len(recs), since, till, ErrTrimmed)
	}
	for i, r := range recs {
		if r.Seq != since+1+uint64(i) {
			return fmt.Errorf("wshub: log record %d has seq %d, want %d: %w", i, r.Seq, since+1+uint64(i), ErrTrimmed)
		}
	}
	return nil
}

func resetReason(err error) string {
	if errors.Is(err, ErrTrimmed) {
		return "history trimmed; cannot replay"
	}
	return "history unavailable; cannot replay"
}

// finish sends the closing error message (if any) and the close frame, waits
// briefly for the peer's close, and drops the connection.
func (c *client) finish() {
	ci := c.closeInfo()
	deadline := time.Now().Add(c.hub.opts.WriteTimeout)
	if ci.errCode != "" {
		_ = c.conn.SetWriteDeadline(deadline)
		msg := append(append([]byte{'['}, errorMessage(c.last, ci.errCode, ci.errMsg)...), ']')
		_ = c.conn.WriteMessage(websocket.TextMessage, msg)
	}
	// ErrCloseSent here means gorilla already sent one (1009, or the echo of
	// the peer's close); any other error means the peer is gone. Either way
	// there is nothing left to do but drop the connection.
	_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(ci.code, ci.reason), deadline)
	t := time.NewTimer(closeGrace)
	select {
	case <-c.readerDone:
	case <-t.C:
	}
	t.Stop()
	_ = c.conn.Close()
	slog.Debug("wshub: client closed", "client", c.id, "name", c.info.Name, "code", ci.code, "reason", ci.label)
}

// frameWriter batches messages into JSON-array frames of at most
// MaxFrameBytes (a bigger single message goes alone). Each frame is written
// under a fresh write deadline.
type frameWriter struct {
	c    *client
	w    io.WriteCloser
	size int
	msgs int
	err  error
}

func (f *frameWriter) add(msg []byte) {
	if f.err != nil {
		return
	}
	if f.w != nil && f.size+len(msg)+2 > f.c.hub.opts.MaxFrameBytes {
		f.flush()
	}
	sep := byte(',')
	if f.w == nil {
		if f.err = f.c.conn.SetWriteDeadline(time.Now().Add(f.c.hub.opts.WriteTimeout)); f.err != nil {
			return
		}
		if f.w, f.err = f.c.conn.NextWriter(websocket.TextMessage); f.err != nil {
			return
		}
		sep = '['
	}
	f.write([]byte{sep})
	f.write(msg)
	f.size += len(msg) + 1
	f.msgs++
}

func (f *frameWriter) write(b []byte) {
	if f.err == nil {
		_, f.err = f.w.Write(b)
	}
}

func (f *frameWriter) flush() {
	if f.w == nil {
		return
	}
	f.write([]byte{']'})
	if err := f.w.Close(); f.err == nil {
		f.err = err
	}
	m := f.c.hub.metrics
	m.frames.Inc()
	m.messages.Add(float64(f.msgs))
	f.w, f.size, f.msgs = nil, 0, 0
}

// recoverPanic logs a panic in one of the client's goroutines and closes the
// client, so one bad connection cannot take the replica down.
func (c *client) recoverPanic(role string) {
	if r := recover(); r != nil {
		slog.Error("wshub: panic in client goroutine", "role", role, "client", c.id, "panic", r)
		c.close(closeInfo{code: websocket.CloseInternalServerErr, reason: "internal error", label: "panic"})
		_ = c.conn.Close()
	}
}
