package wshub

import "github.com/prometheus/client_golang/prometheus"

// metrics are the hub's Prometheus series. Label values come from fixed sets
// in this package, never from clients, so the number of series is bounded.
type metrics struct {
	clients     prometheus.Gauge
	messages    prometheus.Counter
	frames      prometheus.Counter
	disconnects *prometheus.CounterVec // reason
	seq         prometheus.Gauge
	replays     *prometheus.CounterVec // mode
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		clients: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridcc_ws_clients", Help: "Open WebSocket connections.",
		}),
		messages: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridcc_ws_messages_total", Help: "Messages written to WebSocket clients.",
		}),
		frames: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gridcc_ws_frames_total", Help: "Frames (JSON arrays of messages) written to WebSocket clients.",
		}),
		disconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridcc_ws_disconnects_total",
			Help: "WebSocket connections closed, by reason; reason=origin counts refused handshakes.",
		}, []string{"reason"}),
		seq: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gridcc_hub_seq", Help: "Seq of the last log record applied to the hub.",
		}),
		replays: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gridcc_ws_replays_total", Help: "Subscribe answers, by how they were served.",
		}, []string{"mode"}),
	}
	if reg != nil {
		reg.MustRegister(m.clients, m.messages, m.frames, m.disconnects, m.seq, m.replays)
	}
	return m
}
