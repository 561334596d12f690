package main

import (
	"context"
	"fmt"
	"runtime/metrics"
	"time"

	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/redisbus"
)

// importBatch is the records per Log.Import call.
const importBatch = 5000

// loader moves the generated history into the store.
type loader struct {
	o        options
	gen      *generator
	store    *chstore.Store
	log      *redisbus.Log
	rows     history.Rows
	progress *progress
}

// loadResult is what a load did and how fast the history took it.
type loadResult struct {
	via           string
	events        int64         // cases reported
	records       int64         // log records (every change)
	elapsed       time.Duration // whole load
	writing       time.Duration // time the history writer spent draining (stream)
	writerHeapMax uint64        // largest live heap seen while the writer drained (stream)
}

// direct writes the rows through chstore.Store.Write, the writer's insert
// code, with seqs reserved in the log.
func (l *loader) direct(ctx context.Context) (loadResult, error) {
	res := loadResult{via: "direct"}
	start := time.Now()
	buf := make([]event.Record, 0, l.o.batch)
	for {
		buf = l.gen.next(buf[:0], l.o.batch)
		if len(buf) == 0 {
			break
		}
		first, err := l.log.Reserve(ctx, len(buf))
		if err != nil {
			return res, err
		}
		for i := range buf {
			buf[i].SetSeq(first + uint64(i))
		}
		if _, err := l.store.Write(ctx, l.rows.Batch(buf)); err != nil {
			return res, err
		}
		res.records += int64(len(buf))
		l.progress.update("writing", l.gen.reports, res.records)
		if len(buf) < l.o.batch {
			break
		}
	}
	l.progress.done()
	res.events, res.elapsed, res.writing = l.gen.reports, time.Since(start), time.Since(start)
	return res, nil
}

// viaStream appends a chunk of records to the log, then runs the history
// writer until the group has acknowledged all of them, and repeats. The
// two phases alternate so that the writer is timed on records already in
// the stream, and Redis never holds more than a chunk.
func (l *loader) viaStream(ctx context.Context, srcs []history.Source) (loadResult, error) {
	res := loadResult{via: "stream"}
	w, err := history.NewWriter(srcs, l.store, l.rows, history.Options{BatchSize: l.o.batch}, nil)
	if err != nil {
		return res, err
	}
	start := time.Now()
	buf := make([]event.Record, 0, importBatch)
	for finished := false; !finished; {
		n := 0
		for n < l.o.chunk {
			want := min(importBatch, l.o.chunk-n)
			buf = l.gen.next(buf[:0], want)
			if len(buf) > 0 {
				if _, err := l.log.Import(ctx, buf); err != nil {
					return res, err
				}
			}
			n += len(buf)
			res.records += int64(len(buf))
			l.progress.update("loading", l.gen.reports, res.records)
			if len(buf) < want {
				finished = true
				break
			}
		}
		if n == 0 {
			break
		}
		took, heap, err := l.drain(ctx, w, srcs[0])
		if err != nil {
			return res, err
		}
		res.writing += took
		res.writerHeapMax = max(res.writerHeapMax, heap)
	}
	l.progress.done()
	res.events, res.elapsed = l.gen.reports, time.Since(start)
	return res, nil
}

// drain runs w until src's group has nothing left, and reports how long that
// took and the largest live heap meanwhile.
func (l *loader) drain(ctx context.Context, w *history.Writer, src history.Source) (time.Duration, uint64, error) {
	start := time.Now()
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = w.Run(wctx); close(done) }()
	defer func() { cancel(); <-done }()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var heap uint64
	for {
		metrics.Read(sample)
		heap = max(heap, sample[0].Value.Uint64())
		b, err := src.Backlog(ctx)
		if err != nil {
			return 0, 0, fmt.Errorf("gridseed: backlog: %w", err)
		}
		if b.Records == 0 {
			return time.Since(start), heap, nil
		}
		l.progress.update("writing", l.gen.reports, -1)
		select {
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
