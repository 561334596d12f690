package sim

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// LoadResult is the outcome of one load cell. Its JSON is the last line the
// load command prints; scripts/bench-live.sh collects those lines.
type LoadResult struct {
	Clients   int     `json:"clients"`
	Rate      float64 `json:"rate"`
	DurationS float64 `json:"duration_s"`
	WarmupS   float64 `json:"warmup_s"`
	SizeBytes int     `json:"size_bytes"`
	Workers   int     `json:"workers"`

	Sent          int            `json:"sent"`                  // POSTs
	Published     int64          `json:"published"`             // answered 2xx
	PostErrors    int            `json:"post_errors"`           // not answered 2xx
	PostStatus    map[string]int `json:"post_status,omitempty"` // the errors by status; "net": no answer
	AckP50Ms      float64        `json:"ack_p50_ms"`            // POST round trip
	AckP99Ms      float64        `json:"ack_p99_ms"`
	SendLagP99Ms  float64        `json:"send_lag_p99_ms"` // how late POSTs left against the open-loop schedule
	SendLagMaxMs  float64        `json:"send_lag_max_ms"`
	Delivered     int64          `json:"delivered"` // event messages of published events, across clients
	DeliveredPerS float64        `json:"delivered_per_s"`
	Lost          int64          `json:"lost"`        // (client, published event) pairs never received
	LostClosed    int64          `json:"lost_closed"` // of lost, on clients the server closed (a screen would resume them with since)
	Duplicates    int64          `json:"duplicates"`  // the same event twice to one client
	Foreign       int64          `json:"foreign"`     // event messages not from this run (another sender)
	Samples       int            `json:"samples"`     // latency samples after the warm-up
	P50Ms         float64        `json:"p50_ms"`
	P95Ms         float64        `json:"p95_ms"`
	P99Ms         float64        `json:"p99_ms"`
	MaxMs         float64        `json:"max_ms"`

	Disconnects int            `json:"ws_disconnects"` // clients the server or network closed
	CloseCodes  map[string]int `json:"ws_close_codes,omitempty"`
	Resets      int            `json:"ws_resets"`
	ErrorMsgs   int            `json:"ws_error_messages"`
	BadFrames   int            `json:"ws_bad_frames"`

	ServerPID    int      `json:"server_pid"`     // 0: not found
	ServerCPUPct *float64 `json:"server_cpu_pct"` // over the send period; 100 = one core; null when not measured
	ServerRSSMB  *float64 `json:"server_rss_mb"`  // at the end of the send period
	// ServerRunqPct is the time the server's threads waited runnable for a
	// core, in % of the period (100 = one thread waiting all along): high
	// when other processes hold the CPUs.
	ServerRunqPct *float64 `json:"server_runq_wait_pct"`
	LoadCPUPct    float64  `json:"load_cpu_pct"`    // this tool's own, same period
	LoadRSSMB     float64  `json:"load_rss_mb"`     // this tool's own, at the end
	MachineCPUPct float64  `json:"machine_cpu_pct"` // every process on the machine, same period; 100 = one core
	CPUs          int      `json:"cpus"`
}

// sample is the CPU times and the server's RSS at one moment.
type sample struct {
	at         time.Time
	serverCPU  time.Duration
	serverRunq time.Duration
	serverRSS  int64
	serverOK   bool
	selfCPU    time.Duration
	machine    time.Duration
}

func measure(pid int) sample {
	s := sample{at: time.Now(), selfCPU: selfCPU()}
	s.machine, _ = machineBusy()
	if pid > 0 {
		cpu, err1 := procCPU(pid)
		rss, err2 := procRSS(pid)
		runq, err3 := procRunDelay(pid)
		s.serverCPU, s.serverRSS, s.serverRunq, s.serverOK = cpu, rss, runq, err1 == nil && err2 == nil && err3 == nil
	}
	return s
}

func newResult(cfg LoadConfig, t tally, sends []sendRec, statuses map[string]int, clients []*wsClient, pid int, before, after sample) *LoadResult {
	r := &LoadResult{
		Clients: cfg.Clients, Rate: cfg.Rate, DurationS: cfg.Duration.Seconds(), WarmupS: cfg.Warmup.Seconds(),
		SizeBytes: cfg.Size, Workers: cfg.Workers,
		Sent: len(sends), Published: t.published, PostErrors: len(sends) - int(t.published), PostStatus: statuses,
		Delivered: t.delivered, DeliveredPerS: math.Round(float64(t.delivered) / cfg.Duration.Seconds()),
		Lost: t.lost, LostClosed: t.lostClosed, Duplicates: t.duplicates, Foreign: t.foreign, Samples: len(t.latency),
		P50Ms: ms(percentile(t.latency, 50)), P95Ms: ms(percentile(t.latency, 95)),
		P99Ms: ms(percentile(t.latency, 99)), MaxMs: ms(percentile(t.latency, 100)),
		ServerPID: pid,
	}
	acks := make([]int64, 0, len(sends))
	lags := make([]int64, 0, len(sends))
	for _, s := range sends {
		if s.ok {
			acks = append(acks, s.ackAt-s.at)
		}
		lags = append(lags, max(s.at-s.due, 0))
	}
	slices.Sort(acks)
	slices.Sort(lags)
	r.AckP50Ms, r.AckP99Ms = ms(percentile(acks, 50)), ms(percentile(acks, 99))
	r.SendLagP99Ms, r.SendLagMaxMs = ms(percentile(lags, 99)), ms(percentile(lags, 100))
	for _, c := range clients {
		if c.closeErr != "" {
			r.Disconnects++
			if r.CloseCodes == nil {
				r.CloseCodes = map[string]int{}
			}
			r.CloseCodes[c.closeErr]++
		}
		r.Resets += c.resets
		r.ErrorMsgs += c.errorMsgs
		r.BadFrames += c.badFrames
	}
	wall := after.at.Sub(before.at)
	if before.serverOK && after.serverOK && wall > 0 {
		cpu := pct(after.serverCPU-before.serverCPU, wall)
		rss := round1(float64(after.serverRSS) / (1 << 20))
		runq := pct(after.serverRunq-before.serverRunq, wall)
		r.ServerCPUPct, r.ServerRSSMB, r.ServerRunqPct = &cpu, &rss, &runq
	}
	if wall > 0 {
		r.LoadCPUPct = pct(after.selfCPU-before.selfCPU, wall)
		r.MachineCPUPct = pct(after.machine-before.machine, wall)
	}
	r.CPUs = runtime.NumCPU()
	if rss, err := procRSS(os.Getpid()); err == nil {
		r.LoadRSSMB = round1(float64(rss) / (1 << 20))
	}
	return r
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// pct is d as a percentage of wall, to 0.1.
func pct(d, wall time.Duration) float64 { return round1(100 * float64(d) / float64(wall)) }

// WriteSummary writes the human-readable summary of r.
func (r *LoadResult) WriteSummary(w io.Writer) {
	fmt.Fprintf(w, "gridsim load: %d clients × %g events/s for %gs (%d-byte events; the first %gs left out of latency)\n",
		r.Clients, r.Rate, r.DurationS, r.SizeBytes, r.WarmupS)
	fmt.Fprintf(w, "  published   %d of %d POSTs, %d errors%s; ack p50 %.1f ms p99 %.1f ms; send lag p99 %.1f ms max %.1f ms (%d workers)\n",
		r.Published, r.Sent, r.PostErrors, counts(r.PostStatus), r.AckP50Ms, r.AckP99Ms, r.SendLagP99Ms, r.SendLagMaxMs, r.Workers)
	fmt.Fprintf(w, "  delivered   %d event messages (%.0f/s); lost %d (%d on clients the server closed), duplicates %d, foreign %d\n",
		r.Delivered, r.DeliveredPerS, r.Lost, r.LostClosed, r.Duplicates, r.Foreign)
	fmt.Fprintf(w, "  latency     p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)\n",
		r.P50Ms, r.P95Ms, r.P99Ms, r.MaxMs, r.Samples)
	fmt.Fprintf(w, "  websockets  %d disconnected%s, %d resets, %d error messages, %d bad frames\n",
		r.Disconnects, counts(r.CloseCodes), r.Resets, r.ErrorMsgs, r.BadFrames)
	if r.ServerCPUPct != nil {
		fmt.Fprintf(w, "  server      pid %d: CPU %.1f%% (100%% = one core), RSS %.1f MB, waiting for a CPU %.1f%%\n",
			r.ServerPID, *r.ServerCPUPct, *r.ServerRSSMB, *r.ServerRunqPct)
	} else {
		fmt.Fprintln(w, "  server      CPU and RSS not measured (no --server-pid, and no visible listener)")
	}
	fmt.Fprintf(w, "  gridsim     CPU %.1f%%, RSS %.1f MB; the whole machine (%d CPUs) %.1f%%\n", r.LoadCPUPct, r.LoadRSSMB, r.CPUs, r.MachineCPUPct)
}

// WriteTable writes results as the Markdown table of the benchmark note.
func WriteTable(w io.Writer, results []LoadResult) {
	fmt.Fprintln(w, "| clients | events/s | published | delivered/s | lost | dup | p50 ms | p95 ms | p99 ms | max ms | server CPU % | RSS MB | gridsim CPU % | machine CPU % | errors |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range results {
		cpu, rss := "n/a", "n/a"
		if r.ServerCPUPct != nil {
			cpu, rss = fmt.Sprintf("%.0f", *r.ServerCPUPct), fmt.Sprintf("%.0f", *r.ServerRSSMB)
		}
		var errs []string
		if r.PostErrors > 0 {
			errs = append(errs, "POST"+counts(r.PostStatus))
		}
		if r.Disconnects > 0 {
			errs = append(errs, fmt.Sprintf("WS closed%s, %d of the lost on them", counts(r.CloseCodes), r.LostClosed))
		}
		if len(errs) == 0 {
			errs = append(errs, "none")
		}
		fmt.Fprintf(w, "| %d | %g | %d | %.0f | %d | %d | %.1f | %.1f | %.1f | %.1f | %s | %s | %.0f | %.0f | %s |\n",
			r.Clients, r.Rate, r.Published, r.DeliveredPerS, r.Lost, r.Duplicates, r.P50Ms, r.P95Ms, r.P99Ms, r.MaxMs,
			cpu, rss, r.LoadCPUPct, r.MachineCPUPct, strings.Join(errs, "; "))
	}
}

// counts formats {"429": 3, "net": 1} as " (429: 3, net: 1)"; nothing when empty.
func counts(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
