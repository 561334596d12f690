package history

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the writer's Prometheus series.
type metrics struct {
	lagRecords, lagSeconds    prometheus.Gauge
	batch                     prometheus.Histogram
	writeSeconds              prometheus.Histogram
	written, duplicates       prometheus.Counter
	writeErrors, sourceErrors prometheus.Counter
	claimed, trimmed, refused prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	m := &metrics{
		lagRecords: prometheus.NewGauge(prometheus.GaugeOpts{Name: "gridcc_history_lag_records",
			Help: "Log records not yet written to the history (pending or undelivered in the consumer group)."}),
		lagSeconds: prometheus.NewGauge(prometheus.GaugeOpts{Name: "gridcc_history_lag_seconds",
			Help: "Age of the oldest log record not yet written to the history, by its change time."}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gridcc_history_batch_records",
			Help: "Records per history insert.", Buckets: []float64{1, 10, 100, 1000, 2500, 5000, 10000, 20000, 50000}}),
		writeSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gridcc_history_write_seconds",
			Help: "Duration of successful history writes (de-duplication check and inserts).", Buckets: prometheus.ExponentialBuckets(0.005, 2, 12)}),
		written:      counter("gridcc_history_records_written_total", "Records newly stored in the history."),
		duplicates:   counter("gridcc_history_records_duplicate_total", "Records delivered again and skipped because the history had them."),
		writeErrors:  counter("gridcc_history_write_errors_total", "Failed attempts to write a batch to the history (retried)."),
		sourceErrors: counter("gridcc_history_source_errors_total", "Failed reads, acks and trims of the log by the history writer (retried)."),
		claimed:      counter("gridcc_history_claimed_records_total", "Records taken over from writers that stopped without acknowledging them."),
		trimmed:      counter("gridcc_history_trimmed_records_total", "Acknowledged records removed from the log."),
		refused:      counter("gridcc_history_admit_refused_total", "Ingest requests refused because the history backlog reached its cap."),
	}
	if reg != nil {
		reg.MustRegister(m.lagRecords, m.lagSeconds, m.batch, m.writeSeconds, m.written, m.duplicates,
			m.writeErrors, m.sourceErrors, m.claimed, m.trimmed, m.refused)
	}
	return m
}

func (m *metrics) observeWrite(records, written int, d time.Duration) {
	m.batch.Observe(float64(records))
	m.writeSeconds.Observe(d.Seconds())
	m.written.Add(float64(written))
	m.duplicates.Add(float64(records - written))
}

func (m *metrics) setLag(b Backlog) {
	m.lagRecords.Set(float64(b.Records))
	m.lagSeconds.Set(lagSeconds(b, time.Now()))
}
