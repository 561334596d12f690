package audit

import "github.com/prometheus/client_golang/prometheus"

// metrics make the audit trail's health visible: an alert on
// gridcc_audit_dropped_total > 0 means records were lost.
type metrics struct {
	written  prometheus.Counter
	spilled  prometheus.Counter
	drained  prometheus.Counter
	dropped  *prometheus.CounterVec
	buffered prometheus.Gauge
	backlog  prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		written: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridcc_audit_written_total", Help: "Audit records inserted into ClickHouse from the buffer.",
		}),
		spilled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridcc_audit_spilled_total", Help: "Audit records parked in Redis because ClickHouse refused them.",
		}),
		drained: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridcc_audit_drained_total", Help: "Parked audit records moved from Redis into ClickHouse.",
		}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridcc_audit_dropped_total",
			Help: "Audit records lost: buffer_full (memory bound reached), spill_full (Redis bound reached), shutdown (nothing took them at exit).",
		}, []string{"reason"}),
		buffered: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridcc_audit_buffered", Help: "Audit records waiting in this replica's memory.",
		}),
		backlog: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridcc_audit_spill_backlog", Help: "Audit records parked in Redis, as last seen by this replica.",
		}),
	}
	for _, reason := range []string{"buffer_full", "spill_full", "shutdown"} {
		m.dropped.WithLabelValues(reason)
	}
	reg.MustRegister(m.written, m.spilled, m.drained, m.dropped, m.buffered, m.backlog)
	return m
}
