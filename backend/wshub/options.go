package wshub

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// Log is the part of the durable log the hub reads when a client resumes from
// further back than the in-memory ring holds. The Redis adapter implements it.
//
// Contract: Range returns the records with since < Seq <= until, in Seq
// order, with Seq set. When some record after since is no longer kept it
// returns an error wrapping ErrTrimmed (the hub then sends the client a reset
// and a snapshot). Any other error is treated the same way by the hub, so a
// client never sees a silent gap.
type Log interface {
	Range(ctx context.Context, since, until uint64) ([]event.Record, error)
}

// ErrTrimmed says the log no longer holds every record a Range asked for.
var ErrTrimmed = errors.New("wshub: log trimmed")

// Snapshot is the operational state at one point of the log: the follower
// builds it from Redis and hands it to Hub.Reset.
type Snapshot struct {
	Epoch       string             // the log's epoch; changes when Redis lost data
	Seq         uint64             // the last record the state includes
	Open        []event.Event      // every open event (closed ones are ignored)
	Day         string             // district-local date (YYYY-MM-DD) TodayByKind counts
	TodayByKind map[event.Kind]int // events reported on Day, by kind
}

// ClientInfo is what the HTTP layer established about a connecting principal
// before calling ServeWS.
type ClientInfo struct {
	Name   string // the principal (user or tool); Disconnect matches on it
	Masked bool   // personal data must be masked (the wall role)
	Via    string // how it authenticated: "bearer" or "cookie"
	Scope  Scope  // what it may see
	// Revalidate, when set, is called every RevalidateEvery while the
	// socket is open; an error wrapping ErrCredentialEnded closes it (1008).
	Revalidate func(context.Context) error
}

// Scope is what a client may see; the restrictions combine with AND (the
// zero Scope is the whole district).
type Scope struct {
	Streets     []string // street codes; nil: every street, empty: nothing
	Communities []string // community ids; nil: every community, empty: nothing
	// Responder, when set, limits the client to events dispatched to it:
	// its assignee or a whistled department is this responder id.
	Responder string
}

// ViaBearer is the ClientInfo.Via of a principal that authenticated with a
// bearer token (tools, scripts), which a browser does not attach on its own.
const ViaBearer = "bearer"

// Options bounds the hub. Every zero field takes the default named beside it.
type Options struct {
	Location        *time.Location // district time zone for "today"; default time.Local
	RingSize        int            // recent records kept in memory for resumes; default 10000
	QueueBytes      int            // bytes queued for one client before it is dropped (4000); default 2 MiB
	MaxReplay       int            // most records replayed on resume; further back gets a reset; default 50000
	WriteTimeout    time.Duration  // deadline of every socket write; default 10s
	PingPeriod      time.Duration  // how often the writer pings; default 25s, kept below PongWait
	PongWait        time.Duration  // the connection dies when nothing (pong, message) arrives for this long; default 60s
	ReadLimit       int64          // largest client message in bytes (1009 beyond); default 4 KiB
	MaxFrameBytes   int            // frames are batched up to this size; a bigger single message goes alone; default 1 MiB
	WriteGap        time.Duration  // least time between two data writes to one client (what arrives meanwhile shares a frame); default 5ms, negative: none
	AllowedOrigins  []string       // exact scheme://host[:port] origins; empty: same origin only
	StatsInterval   time.Duration  // stats go out at most this often, only when changed; default 1s
	ClientMsgPerS   int            // client messages per second (burst the same) before 4429; default 10
	RevalidateEvery time.Duration  // how often ClientInfo.Revalidate runs; default 1m
}

// The defaults of Options.
const (
	DefaultRingSize      = 10000
	DefaultQueueBytes    = 2 << 20
	DefaultMaxReplay     = 50000
	DefaultWriteTimeout  = 10 * time.Second
	DefaultPingPeriod    = 25 * time.Second
	DefaultPongWait      = 60 * time.Second
	DefaultReadLimit     = 4 << 10
	DefaultMaxFrameBytes = 1 << 20
	DefaultStatsInterval = time.Second
	DefaultWriteGap      = 5 * time.Millisecond
	DefaultRevalidate    = time.Minute
	DefaultClientMsgPerS = 10
)

// closeGrace bounds how long a closing connection waits for the peer's close
// frame before the TCP connection is dropped: closing with unread input makes
// the kernel send RST, which can destroy the close frame in flight.
const closeGrace = time.Second

// withDefaults returns o with every zero field set to its default and the
// allowlist normalised for exact comparison.
func (o Options) withDefaults() Options {
	if o.Location == nil {
		o.Location = time.Local
	}
	setInt(&o.RingSize, DefaultRingSize)
	setInt(&o.QueueBytes, DefaultQueueBytes)
	setInt(&o.MaxReplay, DefaultMaxReplay)
	setInt(&o.MaxFrameBytes, DefaultMaxFrameBytes)
	setInt(&o.ClientMsgPerS, DefaultClientMsgPerS)
	if o.ReadLimit <= 0 {
		o.ReadLimit = DefaultReadLimit
	}
	setDur(&o.WriteTimeout, DefaultWriteTimeout)
	setDur(&o.PingPeriod, DefaultPingPeriod)
	setDur(&o.PongWait, DefaultPongWait)
	setDur(&o.StatsInterval, DefaultStatsInterval)
	setDur(&o.RevalidateEvery, DefaultRevalidate)
	if o.WriteGap == 0 {
		o.WriteGap = DefaultWriteGap
	}
	if o.PingPeriod >= o.PongWait {
		// A ping must arrive, and its pong come back, before the reader's
		// deadline passes, or healthy idle clients would be dropped.
		o.PingPeriod = o.PongWait * 9 / 10
	}
	origins := make([]string, 0, len(o.AllowedOrigins))
	for _, a := range o.AllowedOrigins {
		origins = append(origins, strings.ToLower(strings.TrimRight(strings.TrimSpace(a), "/")))
	}
	o.AllowedOrigins = origins
	return o
}

func setInt(v *int, def int) {
	if *v <= 0 {
		*v = def
	}
}

func setDur(v *time.Duration, def time.Duration) {
	if *v <= 0 {
		*v = def
	}
}
