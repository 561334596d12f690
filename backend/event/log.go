package event

import (
	"context"
	"time"
)

// Report is a new event on its way into the log.
type Report struct {
	Record      Record // Type RecordEvent, Event and Change filled; the log assigns Seq
	Fingerprint string // content hash for the idempotency check (Input.Fingerprint)
	Day         string // district-local date (YYYY-MM-DD) of the report, for the wall's counters
	Intake      Intake // what the case workflow starts with the append; empty without a workflow
}

// Intake is what the case workflow starts for a new event, stored atomically
// with its append (workflow.Rules.Intake decides it).
type Intake struct {
	Deadlines []Timed // its first SLA deadlines, for the deadline queue
	Dispute   bool    // noted in its grid's recent disputes (long-term care)
}

// Timed is one entry of the SLA deadline queue: the workflow's member
// (workflow.Deadline.Member) and when it is due.
type Timed struct {
	Member string
	Due    time.Time
}

// Outcome says what appending a Report did.
type Outcome string

// The outcomes.
const (
	Appended  Outcome = "ok"        // a new record with a new seq
	Duplicate Outcome = "duplicate" // the same kind+source_id and content was appended before
	Conflict  Outcome = "conflict"  // the same kind+source_id was appended before with other content
)

// AppendResult is the result of appending one Report.
type AppendResult struct {
	Outcome Outcome
	ID      string // the new event's id, or the first one's for Duplicate and Conflict
	Seq     uint64 // the assigned seq, or the first one's
}

// Log is the durable, totally ordered event log.
//
// Contract: Append handles the reports in order; each report is atomic on its
// own (its record, the operational state and the live publication happen
// together or not at all). When Append returns nil error every report is
// durable (within the log's persistence settings) and its result says what
// happened; when it returns an error, nothing may be acknowledged to a
// client — some reports may have been appended, and a re-send is then
// answered as a Duplicate thanks to the idempotency key.
type Log interface {
	Append(ctx context.Context, reports []Report) ([]AppendResult, error)
}
