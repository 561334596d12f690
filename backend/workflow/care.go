package workflow

import (
	"fmt"
	"slices"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

// CarePolicy says when closing a dispute turns into long-term care (长效关怀):
// a grid with at least Others other disputes reported within Window is a
// grid of recurring disputes, and its grid worker then checks in on the
// parties once a day for Days days.
type CarePolicy struct {
	Window time.Duration
	Others int
	Days   int
}

// DefaultCare is the shipped care policy: two other disputes in 30 days,
// a week of daily check-ins.
var DefaultCare = CarePolicy{Window: 30 * 24 * time.Hour, Others: 2, Days: 7}

// FollowUp is one long-term-care check-in the grid worker owes. It stays
// until done, also when its day has passed.
type FollowUp struct {
	ID     string    `json:"id"`
	Due    time.Time `json:"due"`
	DoneAt time.Time `json:"done_at,omitzero"`
	DoneBy string    `json:"done_by,omitempty"`
	Note   string    `json:"note,omitempty"`
}

// Care is the long-term care of one closed dispute: where, who, why, and
// its follow-ups.
type Care struct {
	EventID     string     `json:"event_id"`
	Title       string     `json:"title"`
	GridID      string     `json:"grid_id"`
	CommunityID string     `json:"community_id"`
	StreetCode  string     `json:"street_code"`
	Worker      string     `json:"worker"` // the grid worker's directory id (= grid id)
	Reason      string     `json:"reason"`
	CreatedAt   time.Time  `json:"created_at"`
	FollowUps   []FollowUp `json:"followups"`
}

// Pending counts the follow-ups not done.
func (c *Care) Pending() int {
	n := 0
	for _, f := range c.FollowUps {
		if f.DoneAt.IsZero() {
			n++
		}
	}
	return n
}

// NextDue is the due time of the earliest follow-up not done.
func (c *Care) NextDue() (time.Time, bool) {
	var next time.Time
	for _, f := range c.FollowUps {
		if f.DoneAt.IsZero() && (next.IsZero() || f.Due.Before(next)) {
			next = f.Due
		}
	}
	return next, !next.IsZero()
}

// IsDispute reports whether e is a dispute for long-term care: a category
// of the dispute group of the compatibility table (a hotline or grid
// dispute, a fight on camera).
func IsDispute(e *event.Event) bool {
	return slices.Contains(groupsOf(e.Kind, e.Category), groupDispute)
}

// careOnClose starts long-term care when a dispute closes in a grid of
// recurring disputes and it has no follow-ups pending already.
func (r *Rules) careOnClose(e *event.Event, in Input) *Care {
	if !IsDispute(e) || e.GridID == "" || r.Care.Days == 0 {
		return nil
	}
	others := 0
	for _, id := range in.Disputes {
		if id != e.ID {
			others++
		}
	}
	if others < r.Care.Others || in.Care != nil && in.Care.Pending() > 0 {
		return nil
	}
	c := &Care{EventID: e.ID, Title: e.Title, GridID: e.GridID, CommunityID: e.CommunityID,
		StreetCode: e.StreetCode, Worker: e.GridID, CreatedAt: in.Now.UTC(),
		Reason: fmt.Sprintf("%d other disputes in grid %s within %d days", others, e.GridID, int(r.Care.Window.Hours()/24))}
	if in.Care != nil {
		c.FollowUps = slices.Clone(in.Care.FollowUps)
	}
	for i := range r.Care.Days {
		c.FollowUps = append(c.FollowUps, FollowUp{ID: fmt.Sprintf("%s-fu%d", e.ID, len(c.FollowUps)+1),
			Due: in.Now.Add(time.Duration(i+1) * 24 * time.Hour).UTC()})
	}
	return c
}

// followUpDone marks one follow-up done.
func followUpDone(in Input, ch *event.Change) (*Care, error) {
	id := in.Request.Target
	if in.Care == nil {
		return nil, apperr.Field(apperr.Invalid, "target", "event %s has no long-term-care follow-ups", in.Current.Event.ID)
	}
	i := slices.IndexFunc(in.Care.FollowUps, func(f FollowUp) bool { return f.ID == id })
	if i < 0 {
		return nil, apperr.Field(apperr.Invalid, "target", "follow-up %s is not one of event %s", id, in.Current.Event.ID)
	}
	if f := in.Care.FollowUps[i]; !f.DoneAt.IsZero() {
		return nil, apperr.Field(apperr.Conflict, "target", "follow-up %s was done at %s by %s", id, f.DoneAt.Format(time.RFC3339), f.DoneBy)
	}
	c := *in.Care
	c.FollowUps = slices.Clone(in.Care.FollowUps)
	c.FollowUps[i].DoneAt, c.FollowUps[i].DoneBy, c.FollowUps[i].Note = in.Now.UTC(), in.Actor, in.Request.Reason
	ch.Target = id
	return &c, nil
}
