package history

import (
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// EventRow is what the history keeps of a reported event: what the review
// screens show and group by. It leaves out the description and every
// personal field (caller name and phone, reporter name): the review works
// on places and categories, never on people. Title and address stay, since
// the recurring list must say what came back where.
type EventRow struct {
	Seq         uint64
	ID          string
	Kind        event.Kind
	Source      string
	SourceID    string
	Category    string
	Severity    event.Severity
	Title       string
	Address     string
	Lon, Lat    float64
	GridID      string
	CommunityID string
	StreetCode  string
	CameraID    string
	SensorID    string
	OccurredAt  time.Time
	ReportedAt  time.Time
	Day         Date // district-local date of ReportedAt
}

// ChangeRow is one state-change record with the facts every KPI needs,
// worked out once here so that the store only adds them up. Event fields
// are copied from the record (the event's state after the change), so the
// store groups changes by the report's day, kind, category and place
// without a join: every KPI is about the cohort reported on a day.
type ChangeRow struct {
	Seq     uint64
	EventID string
	At      time.Time
	From    event.Status
	To      event.Status
	Action  string
	Actor   string
	Target  string
	Rating  uint8

	Kind       event.Kind
	Category   string
	Severity   event.Severity
	GridID     string
	StreetCode string
	ReportedAt time.Time
	Day        Date // district-local date of ReportedAt: the cohort

	Reported  bool          // the record reported the event (one per event)
	DoneDelta int8          // see DoneDelta
	Closing   bool          // see IsClosing
	Handling  time.Duration // At − ReportedAt for a closing, else 0
	SLA       time.Duration // the event's SLA when this row was written
	OnTime    bool          // a closing within SLA
	Rated     bool          // the record carries a citizen's rating
	Satisfied bool          // that rating counts as satisfied
	DueAt     time.Time     // ReportedAt + SLA
}

// Batch is the rows of a run of log records, in seq order.
type Batch struct {
	Events  []EventRow
	Changes []ChangeRow
}

// Len returns the number of records in b (one change per record).
func (b Batch) Len() int { return len(b.Changes) }

// Seqs returns the seqs of b's records.
func (b Batch) Seqs() []uint64 {
	out := make([]uint64, len(b.Changes))
	for i, c := range b.Changes {
		out[i] = c.Seq
	}
	return out
}

// Keep returns the rows of b whose seq keep accepts.
func (b Batch) Keep(keep func(seq uint64) bool) Batch {
	var out Batch
	for _, e := range b.Events {
		if keep(e.Seq) {
			out.Events = append(out.Events, e)
		}
	}
	for _, c := range b.Changes {
		if keep(c.Seq) {
			out.Changes = append(out.Changes, c)
		}
	}
	return out
}

// Rows turns records into history rows. zone is the district's time zone
// (it decides each row's Day), slas the SLA table in force.
type Rows struct {
	Zone *time.Location
	SLAs SLAs
}

// Batch converts records (in seq order) into a Batch: every record gives a
// ChangeRow, every report also an EventRow.
func (r Rows) Batch(recs []event.Record) Batch {
	b := Batch{Changes: make([]ChangeRow, 0, len(recs))}
	for i := range recs {
		rec := &recs[i]
		if rec.Type == event.RecordEvent {
			b.Events = append(b.Events, r.eventRow(rec))
		}
		b.Changes = append(b.Changes, r.changeRow(rec))
	}
	return b
}

func (r Rows) eventRow(rec *event.Record) EventRow {
	e := &rec.Event
	return EventRow{
		Seq: rec.Seq, ID: e.ID, Kind: e.Kind, Source: e.Source, SourceID: e.SourceID,
		Category: e.Category, Severity: e.Severity, Title: e.Title,
		Address: strings.TrimSpace(e.Address), Lon: e.Lon, Lat: e.Lat,
		GridID: e.GridID, CommunityID: e.CommunityID, StreetCode: e.StreetCode,
		CameraID: e.CameraID, SensorID: e.SensorID,
		OccurredAt: e.OccurredAt.UTC(), ReportedAt: e.ReportedAt.UTC(), Day: DateOf(e.ReportedAt, r.Zone),
	}
}

func (r Rows) changeRow(rec *event.Record) ChangeRow {
	e, c := &rec.Event, rec.Change
	sla := r.SLAs.For(e.Kind, e.Category, e.Severity)
	row := ChangeRow{
		Seq: rec.Seq, EventID: e.ID, At: c.At.UTC(), From: c.From, To: c.To,
		Action: c.Action, Actor: c.Actor, Target: c.Target, Rating: c.Rating,
		Kind: e.Kind, Category: e.Category, Severity: e.Severity, GridID: e.GridID, StreetCode: e.StreetCode,
		ReportedAt: e.ReportedAt.UTC(), Day: DateOf(e.ReportedAt, r.Zone),
		Reported:  rec.Type == event.RecordEvent,
		DoneDelta: DoneDelta(c),
		Closing:   IsClosing(c),
		SLA:       sla,
		Rated:     c.Rating > 0,
		Satisfied: c.Rating > 0 && Satisfied(c.Rating),
		DueAt:     e.ReportedAt.Add(sla).UTC(),
	}
	if row.Closing {
		row.Handling = max(c.At.Sub(e.ReportedAt), 0)
		row.OnTime = row.Handling <= sla
	}
	return row
}
