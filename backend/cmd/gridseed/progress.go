package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a one-line progress bar on a terminal (stderr), redrawn at
// most five times a second.
type progress struct {
	w       io.Writer
	quiet   bool
	total   float64
	start   time.Time
	last    time.Time
	records int64
	drawn   bool
}

func newProgress(w io.Writer, quiet bool, total float64) *progress {
	return &progress{w: w, quiet: quiet, total: max(total, 1), start: time.Now()}
}

// update redraws with cases done so far; records < 0 keeps the last count.
func (p *progress) update(phase string, cases, records int64) {
	if records >= 0 {
		p.records = records
	}
	if p.quiet || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	frac := min(float64(cases)/p.total, 1)
	const width = 30
	bar := strings.Repeat("=", int(frac*width)) + strings.Repeat(" ", width-int(frac*width))
	rate := float64(cases) / max(time.Since(p.start).Seconds(), 0.001)
	fmt.Fprintf(p.w, "\r%-8s [%s] %5.1f%%  %d cases  %d records  %.0f cases/s   ", phase, bar, frac*100, cases, p.records, rate)
	p.drawn = true
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
