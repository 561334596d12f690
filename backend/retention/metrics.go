package retention

import "github.com/prometheus/client_golang/prometheus"

// metrics are the job's Prometheus series.
type metrics struct {
	runs        *prometheus.CounterVec
	partitions  *prometheus.CounterVec
	rows        *prometheus.CounterVec
	lastSuccess prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gridcc_retention_runs_total",
			Help: "Retention runs by outcome: ok, error (retried at the next interval) or skipped (another replica held the lock)."}, []string{"outcome"}),
		partitions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gridcc_retention_dropped_partitions_total",
			Help: "Monthly and yearly partitions dropped because they were older than the retention age."}, []string{"table"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gridcc_retention_dropped_rows_total",
			Help: "Rows dropped by retention: in the partitions dropped, and deleted from the months of yearly partitions."}, []string{"table"}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Name: "gridcc_retention_last_success_timestamp_seconds",
			Help: "When this replica last finished a retention run without error (Unix time)."}),
	}
	if reg != nil {
		reg.MustRegister(m.runs, m.partitions, m.rows, m.lastSuccess)
	}
	return m
}
