// Package ingest is the use case behind POST /api/v1/events: it turns an
// outside report into an event in the durable log. The order of the steps,
// and why, is written once, in Service.prepare and Service.commit.
package ingest

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
)

// Service ingests events for one district.
type Service struct {
	district *grid.District
	log      event.Log
	zone     *time.Location
	now      func() time.Time
	admit    func(context.Context) error
	intake   func(*event.Event) event.Intake
}

// New returns the ingest service; zone is the district's time zone (days for
// the wall's counters).
func New(d *grid.District, log event.Log, zone *time.Location) *Service {
	return &Service{district: d, log: log, zone: zone, now: time.Now}
}

// AdmitWith makes every ingest ask admit first: the history writer refuses
// (503, saying why) when ClickHouse has fallen so far behind that the Redis
// backlog reached its cap, rather than letting Redis grow without bound.
func (s *Service) AdmitWith(admit func(context.Context) error) { s.admit = admit }

// IntakeWith starts every new event's case with start (the case workflow's
// Rules.Intake) before it is stored: the reported record every screen
// receives carries its respond_by and close_by, and its first deadlines are
// queued in the same atomic step as the append.
func (s *Service) IntakeWith(start func(*event.Event) event.Intake) { s.intake = start }

// Result is what the client is told about one accepted event.
type Result struct {
	ID         string `json:"id"`
	Seq        uint64 `json:"seq"`
	GridID     string `json:"grid_id"`
	StreetCode string `json:"street_code"`
	Duplicate  bool   `json:"duplicate"`
}

// Ingest validates, locates and appends one event for the source system
// `source`. It returns only after the log confirmed the append (or reported
// a duplicate), so a nil error means the event is durable.
func (s *Service) Ingest(ctx context.Context, source string, in event.Input) (Result, error) {
	rep, res, err := s.prepare(source, in, s.now())
	if err != nil {
		return Result{}, err
	}
	out, err := s.commit(ctx, []event.Report{rep}, []Result{res})
	if err != nil {
		return Result{}, err
	}
	return out[0].Result, out[0].Err
}

// ItemResult is one item's outcome in a batch: either Result or Err.
type ItemResult struct {
	Result
	Err error
}

// IngestBatch ingests each raw item on its own: bad items get their own
// error and good items are kept. The good ones are appended in one round
// trip. A log failure fails the whole batch (nothing is acknowledged).
func (s *Service) IngestBatch(ctx context.Context, source string, items []json.RawMessage) ([]ItemResult, error) {
	now := s.now()
	out := make([]ItemResult, len(items))
	var reps []event.Report
	var pending []Result
	var where []int
	for i, raw := range items {
		in, err := event.DecodeInput(raw)
		if err == nil {
			var rep event.Report
			var res Result
			if rep, res, err = s.prepare(source, in, now); err == nil {
				reps, pending, where = append(reps, rep), append(pending, res), append(where, i)
				continue
			}
		}
		out[i].Err = err
	}
	done, err := s.commit(ctx, reps, pending)
	if err != nil {
		return nil, err
	}
	for j, i := range where {
		out[i] = done[j]
	}
	return out, nil
}

// prepare runs the steps that need no I/O: validate (reject before any
// work), locate (the grid decides the street and thus who sees the event),
// then build the record in state `reported`.
func (s *Service) prepare(source string, in event.Input, now time.Time) (event.Report, Result, error) {
	if err := in.Validate(now); err != nil {
		return event.Report{}, Result{}, err
	}
	loc, err := s.locate(&in)
	if err != nil {
		return event.Report{}, Result{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return event.Report{}, Result{}, apperr.Wrap(err, apperr.Internal, "cannot make an event id")
	}
	ev := in.ToEvent(id.String(), loc, source, now)
	var intake event.Intake
	if s.intake != nil {
		intake = s.intake(&ev)
	}
	rep := event.Report{
		Record:      event.Record{Type: event.RecordEvent, Event: ev, Change: event.NewReportedChange(ev, source)},
		Fingerprint: in.Fingerprint(),
		Day:         now.In(s.zone).Format(time.DateOnly),
		Intake:      intake,
	}
	return rep, Result{GridID: loc.GridID, StreetCode: loc.StreetCode}, nil
}

// commit appends to the durable log — which also updates the live state and
// publishes to every replica in the same atomic step — and only then lets
// the caller acknowledge. Redis unreachable is a 503: never a 2xx for an
// event that is not durable.
func (s *Service) commit(ctx context.Context, reps []event.Report, pending []Result) ([]ItemResult, error) {
	if len(reps) == 0 {
		return nil, nil
	}
	if s.admit != nil {
		if err := s.admit(ctx); err != nil {
			return nil, err
		}
	}
	appended, err := s.log.Append(ctx, reps)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "the event log is unavailable; nothing was accepted, retry later")
	}
	out := make([]ItemResult, len(reps))
	for i, a := range appended {
		r := pending[i]
		r.ID, r.Seq = a.ID, a.Seq
		switch a.Outcome {
		case event.Appended:
		case event.Duplicate:
			r.Duplicate = true
		case event.Conflict:
			e := reps[i].Record.Event
			out[i].Err = apperr.Field(apperr.Conflict, "source_id",
				"%s %q was already reported as event %s with different content", e.Kind, e.SourceID, a.ID)
			continue
		}
		out[i].Result = r
	}
	return out, nil
}
