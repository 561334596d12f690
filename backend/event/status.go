package event

import "time"

// Status is a lifecycle state. The case-workflow actions move events between
// them; ingest records only Reported.
type Status string

// The states.
const (
	Reported     Status = "reported"
	Dispatched   Status = "dispatched"
	Accepted     Status = "accepted"
	InProgress   Status = "in_progress"
	Resolved     Status = "resolved"
	Closed       Status = "closed"
	Rated        Status = "rated"
	Escalated    Status = "escalated"
	Reopened     Status = "reopened"
	Merged       Status = "merged"
	Acknowledged Status = "acknowledged" // camera alerts and warnings only
)

// Statuses lists every state.
var Statuses = []Status{Reported, Dispatched, Accepted, InProgress, Resolved, Closed, Rated,
	Escalated, Reopened, Merged, Acknowledged}

// Valid reports whether s is a known state.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Terminal reports whether nothing more is expected of an event in state s:
// closed, rated, merged into another case, or an acknowledged alert.
func (s Status) Terminal() bool {
	return s == Closed || s == Rated || s == Merged || s == Acknowledged
}

// Change is one state-change record. The live stream carries it as an
// `update`, the history stores it, and every KPI (closure, on-time, handling
// time) is computed from these records. From is empty for the first record
// (to Reported).
type Change struct {
	EventID string    `json:"event_id"`
	Seq     uint64    `json:"seq"`
	At      time.Time `json:"at"`
	From    Status    `json:"from"`
	To      Status    `json:"to"`
	Actor   string    `json:"actor"`
	Reason  string    `json:"reason,omitempty"`
	// Action is the workflow action that made the change (dispatch, accept,
	// rate, …); empty for the report itself.
	Action string `json:"action,omitempty"`
	// Target is who the event was dispatched or escalated to (a department,
	// volunteer team or grid worker id), for dispatch-like actions.
	Target string `json:"target,omitempty"`
	// Rating is the citizen's 1–5 rating, for the rate action; 0 otherwise.
	Rating uint8 `json:"rating,omitempty"`
}
