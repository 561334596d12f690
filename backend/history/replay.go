package history

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

// The replay gives the review the records of a day or a week in the order
// they happened — each report and each state change — so the screen can
// play them back on the map. It is read in pages ordered by (time, seq); a
// page's Next cursor continues after its last record, and Since starts a
// page at any moment of the window (the slider's jump).

// Bounds of the replay.
const (
	MaxReplayDays     = 7 // a week
	DefaultReplayPage = 2000
	MaxReplayPage     = 5000
)

// ReplayCursor is a position in a replay: after the record at At with Seq.
// Its text form, "<unix seconds>.<seq>", is what the API hands out.
type ReplayCursor struct {
	At  time.Time
	Seq uint64
}

// String encodes c for the API.
func (c ReplayCursor) String() string {
	return strconv.FormatInt(c.At.Unix(), 10) + "." + strconv.FormatUint(c.Seq, 10)
}

// ParseReplayCursor decodes a cursor the API handed out; errors are
// apperr.Invalid on field.
func ParseReplayCursor(field, s string) (ReplayCursor, error) {
	sec, seq, ok := strings.Cut(s, ".")
	at, err1 := strconv.ParseInt(sec, 10, 64)
	n, err2 := strconv.ParseUint(seq, 10, 64)
	if !ok || err1 != nil || err2 != nil || at < 0 {
		return ReplayCursor{}, apperr.Field(apperr.Invalid, field, "%s must be the next cursor of a previous page", field)
	}
	return ReplayCursor{At: time.Unix(at, 0).UTC(), Seq: n}, nil
}

// ReplayItem is one record of the replay: a report (Type event) or a state
// change (Type update), with where it happened. Title, Address and Actor
// are as stored; the HTTP layer masks them for roles that may not see
// personal data.
type ReplayItem struct {
	Seq         uint64           `json:"seq"`
	At          time.Time        `json:"at"`
	Type        event.RecordType `json:"type"`
	EventID     string           `json:"event_id"`
	From        event.Status     `json:"from"`
	To          event.Status     `json:"to"`
	Action      string           `json:"action,omitempty"`
	Actor       string           `json:"actor,omitempty"`
	Target      string           `json:"target,omitempty"`
	Kind        event.Kind       `json:"kind"`
	Category    string           `json:"category"`
	Severity    event.Severity   `json:"severity"`
	GridID      string           `json:"grid_id"`
	CommunityID string           `json:"community_id"`
	StreetCode  string           `json:"street_code"`
	Lon         float64          `json:"lon"`
	Lat         float64          `json:"lat"`
	Title       string           `json:"title"`
	Address     string           `json:"address,omitempty"`
}

// Cursor returns the position right after it.
func (it ReplayItem) Cursor() ReplayCursor { return ReplayCursor{At: it.At, Seq: it.Seq} }

// Replay is one page of the records of a window.
type Replay struct {
	Filter Filter       `json:"filter"`
	Period Period       `json:"period"`
	From   time.Time    `json:"from"`  // the window: the period's first instant in the district's zone…
	To     time.Time    `json:"to"`    // …to the instant after its last day (exclusive)
	Total  int64        `json:"total"` // records in the whole window
	Items  []ReplayItem `json:"items"` // by time, then seq
	Next   string       `json:"next,omitempty"`
}

// ReplayQuery says which page of which window to read.
type ReplayQuery struct {
	Filter Filter
	Period Period        // at most MaxReplayDays days
	After  *ReplayCursor // continue after this record; nil: from Since
	Since  time.Time     // start here (zero: the window's start); ignored with After
	Limit  int
}

// Window returns the instants the period's district days cover, [from, to).
func (s *Stats) Window(p Period) (from, to time.Time) {
	return p.From.Start(s.zone).UTC(), p.To.AddDays(1).Start(s.zone).UTC()
}

// Replay returns one page of the window's records in time order.
func (s *Stats) Replay(ctx context.Context, q ReplayQuery) (Replay, error) {
	if q.Period.Days() > MaxReplayDays {
		return Replay{}, apperr.Field(apperr.Invalid, "from", "a replay covers at most %d days (this period has %d)", MaxReplayDays, q.Period.Days())
	}
	from, to := s.Window(q.Period)
	start := ReplayCursor{At: from.Add(-time.Second), Seq: ^uint64(0)} // before the window's first record
	switch {
	case q.After != nil:
		if q.After.At.Before(start.At) || !q.After.At.Before(to) {
			return Replay{}, apperr.Field(apperr.Invalid, "after", "after is the next cursor of a page of this window")
		}
		start = *q.After
	case !q.Since.IsZero():
		if q.Since.Before(from) || !q.Since.Before(to) {
			return Replay{}, apperr.Field(apperr.Invalid, "since", "since must lie in the window %s – %s", from.In(s.zone).Format(time.RFC3339), to.In(s.zone).Format(time.RFC3339))
		}
		start = ReplayCursor{At: q.Since.UTC().Truncate(time.Second).Add(-time.Second), Seq: ^uint64(0)}
	}
	out := Replay{Filter: q.Filter, Period: q.Period, From: from, To: to}
	err := parallel(2, func(i int) (err error) {
		if i == 0 {
			out.Total, err = s.r.ReplayCount(ctx, q.Filter, from, to)
		} else {
			// One more than asked tells whether a next page exists.
			out.Items, err = s.r.ReplayPage(ctx, q.Filter, start, to, q.Limit+1)
		}
		return err
	})
	if err != nil {
		return Replay{}, err
	}
	if len(out.Items) > q.Limit {
		out.Items = out.Items[:q.Limit]
		out.Next = out.Items[len(out.Items)-1].Cursor().String()
	}
	if out.Items == nil {
		out.Items = []ReplayItem{}
	}
	return out, nil
}
