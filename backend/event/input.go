package event

import (
	"strings"
	"time"
)

// The limits of one ingest Input. They are part of the public ingest
// contract (docs/ingest.md carries the same numbers), so a change here is a
// change for every sending system.
const (
	MaxSourceIDBytes    = 128  // source_id: bytes of [A-Za-z0-9._:-]
	MaxRefIDBytes       = 64   // grid_id, camera_id, sensor_id: bytes of [A-Za-z0-9._:-]
	MaxTitleRunes       = 200  // title: 1–200 characters
	MaxDescriptionRunes = 4000 // description: up to 4000 characters, \n and \t allowed
	MaxAddressRunes     = 300  // address
	MaxNameRunes        = 50   // caller_name, reporter_name
	MinPhoneChars       = 5    // caller_phone: 5–20 characters, digits with an optional leading +
	MaxPhoneChars       = 20

	// MaxClockSkew is how far in the future occurred_at may lie: the
	// sending systems' clocks are not ours, but an event from next week is
	// a bug, not skew.
	MaxClockSkew = 10 * time.Minute
	// MaxEventAge is how old occurred_at may be. Older reports belong in a
	// bulk import, not in the live stream and its counters.
	MaxEventAge = 365 * 24 * time.Hour
)

// Input is the JSON object a sending system posts to /api/v1/events (one)
// or /api/v1/events/batch (many): the event as the sender knows it, before
// gridcc has located it. Obtain one with DecodeInput, check it with Validate,
// then turn it into an Event with ToEvent.
//
// Text fields are kept exactly as sent; ToEvent and Fingerprint trim
// surrounding white space.
type Input struct {
	Kind        Kind     `json:"kind"`
	SourceID    string   `json:"source_id"` // the sender's own id; kind+source_id is the idempotency key
	Category    string   `json:"category"`  // a code from Categories(Kind)
	Severity    Severity `json:"severity"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Lon         *float64 `json:"lon,omitempty"` // WGS84; nil when not sent
	Lat         *float64 `json:"lat,omitempty"`
	GridID      string   `json:"grid_id,omitempty"`
	Address     string   `json:"address,omitempty"`
	OccurredAt  string   `json:"occurred_at"` // RFC 3339 with an offset

	CameraID     string `json:"camera_id,omitempty"`     // camera_alert only, required there
	CallerPhone  string `json:"caller_phone,omitempty"`  // hotline only
	CallerName   string `json:"caller_name,omitempty"`   // hotline only
	SensorID     string `json:"sensor_id,omitempty"`     // warning only, required there
	ReporterName string `json:"reporter_name,omitempty"` // grid_event only: the grid worker
}

// Location is where gridcc placed an event: the caller resolves it from the
// input's lon/lat, grid_id or camera against the district map (which this
// package does not have) and passes it to ToEvent.
type Location struct {
	Lon, Lat    float64 // WGS84
	GridID      string
	CommunityID string
	StreetCode  string
}

// ToEvent builds the new Event in state Reported. It expects an input that
// passed Validate (an unparsable occurred_at becomes the zero time). Times
// are stored in UTC; ReportedAt and UpdatedAt are now. The location comes
// from loc, not from the input, because the caller may have taken it from
// the grid or the camera.
func (in Input) ToEvent(id string, loc Location, source string, now time.Time) Event {
	occurred, _ := time.Parse(time.RFC3339, in.OccurredAt)
	now = now.UTC()
	return Event{
		ID:           id,
		Kind:         in.Kind,
		SourceID:     in.SourceID,
		Source:       source,
		Category:     in.Category,
		Severity:     in.Severity,
		Status:       Reported,
		Title:        strings.TrimSpace(in.Title),
		Description:  strings.TrimSpace(in.Description),
		Lon:          loc.Lon,
		Lat:          loc.Lat,
		GridID:       loc.GridID,
		CommunityID:  loc.CommunityID,
		StreetCode:   loc.StreetCode,
		Address:      strings.TrimSpace(in.Address),
		OccurredAt:   occurred.UTC(),
		ReportedAt:   now,
		UpdatedAt:    now,
		CameraID:     in.CameraID,
		SensorID:     in.SensorID,
		CallerName:   strings.TrimSpace(in.CallerName),
		CallerPhone:  in.CallerPhone,
		ReporterName: strings.TrimSpace(in.ReporterName),
	}
}

// NewReportedChange is the first state-change record of e: from nothing to
// Reported at e.ReportedAt. The log stamps its Seq.
func NewReportedChange(e Event, actor string) Change {
	return Change{EventID: e.ID, At: e.ReportedAt, From: "", To: Reported, Actor: actor}
}
