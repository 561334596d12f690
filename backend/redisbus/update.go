package redisbus

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/workflow"
)

//go:embed lua/update.lua
var updateLua string

// CaseOptions bound the case workflow's Redis state; zero fields take the
// defaults.
type CaseOptions struct {
	// ClosedTTL is how long a done event's state, timeline and finished
	// follow-ups are kept (a late rating or reopen still works within it);
	// default 30 days.
	ClosedTTL time.Duration
	// TimelineMax caps one event's timeline (the newest are kept; the log
	// and the history have all); default 500.
	TimelineMax int
	// DisputeRetention is how long report times of disputes are kept per
	// grid; it must be at least the care window; default 31 days.
	DisputeRetention time.Duration
}

func (o CaseOptions) withDefaults() CaseOptions {
	if o.ClosedTTL <= 0 {
		o.ClosedTTL = 30 * 24 * time.Hour
	}
	if o.TimelineMax <= 0 {
		o.TimelineMax = 500
	}
	if o.DisputeRetention <= 0 {
		o.DisputeRetention = 31 * 24 * time.Hour
	}
	return o
}

// CaseStore is the case workflow's operational state in Redis, beside the
// event log it appends to: event states, timelines, the SLA deadline queue,
// the recently-closed index, long-term care and recent disputes per grid.
// It implements workflow.Store, workflow.Reader and workflow.Queue; their
// contracts are written there. Safe for concurrent use.
type CaseStore struct {
	log    *Log
	rdb    *redis.Client
	keys   Keys
	opts   CaseOptions
	update *redis.Script
	claim  *redis.Script
	intake *redis.Script
}

var (
	_ workflow.Store  = (*CaseStore)(nil)
	_ workflow.Reader = (*CaseStore)(nil)
	_ workflow.Queue  = (*CaseStore)(nil)
)

// NewCaseStore returns the case state beside log.
func NewCaseStore(log *Log, opts CaseOptions) *CaseStore {
	opts = opts.withDefaults()
	log.disputeRetention = opts.DisputeRetention // the append notes new disputes
	return &CaseStore{log: log, rdb: log.rdb, keys: log.keys, opts: opts,
		update: redis.NewScript(updateLua), claim: redis.NewScript(claimDueLua), intake: redis.NewScript(intakeLua)}
}

// versionOf is the compare-and-set token of a stored state, built the way
// update.lua builds it: the status and the updated_at string as stored.
func versionOf(raw []byte) (workflow.Version, error) {
	var v struct {
		Status    string `json:"status"`
		UpdatedAt string `json:"updated_at"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	return workflow.Version(v.Status + " " + v.UpdatedAt), nil
}

// Get reads an event's state and version.
func (c *CaseStore) Get(ctx context.Context, id string) (workflow.Loaded, error) {
	raw, err := c.rdb.Get(ctx, c.keys.Event(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return workflow.Loaded{}, apperr.New(apperr.NotFound, "event %s not found (unknown, or closed more than %v ago)", id, c.opts.ClosedTTL)
	}
	if err != nil {
		return workflow.Loaded{}, fmt.Errorf("redisbus: get event %s: %w", id, err)
	}
	var l workflow.Loaded
	if err := json.Unmarshal(raw, &l.Event); err != nil {
		return workflow.Loaded{}, fmt.Errorf("redisbus: decode event %s: %w", id, err)
	}
	if l.Version, err = versionOf(raw); err != nil {
		return workflow.Loaded{}, fmt.Errorf("redisbus: decode event %s: %w", id, err)
	}
	return l, nil
}

// Commit runs update.lua for the commit (see workflow.Store).
func (c *CaseStore) Commit(ctx context.Context, cm workflow.Commit) ([]uint64, error) {
	keys := []string{c.keys.Seq, c.keys.Log, c.keys.Open, c.keys.Closed(), c.keys.SLADue(), c.keys.CareOpen()}
	fire := ""
	if cm.Fire != nil {
		fire = cm.Fire.Member()
	}
	args := []any{c.keys.Channel, fire, int64(c.opts.ClosedTTL.Seconds()), c.opts.TimelineMax,
		time.Now().UnixMilli(), len(cm.Items)}
	for _, it := range cm.Items {
		id := it.Record.Event.ID
		keys = append(keys, c.keys.Event(id), c.keys.Timeline(id), c.keys.Care(id))
		itemArgs, err := itemArgs(it)
		if err != nil {
			return nil, err
		}
		args = append(args, itemArgs...)
	}
	vals, err := c.update.Run(ctx, c.rdb, keys, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("redisbus: commit: %w", err)
	}
	switch vals[0] {
	case "ok":
	case "conflict":
		return nil, workflow.ErrConflict
	case "gone":
		return nil, workflow.ErrGone
	case "not_found":
		return nil, apperr.New(apperr.NotFound, "event %s not found", vals[1])
	default:
		return nil, fmt.Errorf("redisbus: commit reply %v", vals)
	}
	seqs := make([]uint64, 0, len(vals)-1)
	for _, s := range vals[1:] {
		seq, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("redisbus: commit reply seq %q: %w", s, err)
		}
		seqs = append(seqs, seq)
	}
	return seqs, nil
}

// itemArgs encodes one item in update.lua's argument layout.
func itemArgs(it workflow.Item) ([]any, error) {
	rec := it.Record
	rec.SetSeq(0) // the stored JSON never carries the seq: the entry id does
	enc, err := encodeRecord(&rec)
	if err != nil {
		return nil, err
	}
	done := "0"
	if !rec.Event.Open() {
		done = "1"
	}
	careJSON, careNext := "", ""
	if it.Care != nil {
		b, err := json.Marshal(it.Care)
		if err != nil {
			return nil, fmt.Errorf("redisbus: encode care: %w", err)
		}
		careJSON = string(b)
		if next, ok := it.Care.NextDue(); ok {
			careNext = strconv.FormatInt(next.UnixMilli(), 10)
		}
	}
	args := []any{rec.Event.ID, string(it.Expect), enc.state, enc.record, enc.change, done,
		rec.Change.At.UnixMilli(), careJSON, careNext, len(it.Schedule)}
	for _, d := range it.Schedule {
		args = append(args, d.Member(), d.Due.UnixMilli())
	}
	args = append(args, len(it.Unschedule))
	for _, d := range it.Unschedule {
		args = append(args, d.Member())
	}
	return args, nil
}
