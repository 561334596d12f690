// Package event is gridcc's domain core: the events that flow in (grid-worker
// reports, 12345 hotline requests, 雪亮 camera alerts, sensor warnings), their
// lifecycle states, and the state-change records every KPI is computed from.
// It does no I/O.
package event

import "time"

// Kind is the channel an event came in through.
type Kind string

// The kinds.
const (
	GridEvent   Kind = "grid_event"   // 网格事件, reported by a grid worker on patrol
	Hotline     Kind = "hotline"      // 12345 government-service hotline request
	CameraAlert Kind = "camera_alert" // 雪亮工程 camera alert
	Warning     Kind = "warning"      // sensor warning (智慧应急, 智慧城管)
)

// Kinds lists every kind in documentation order.
var Kinds = []Kind{GridEvent, Hotline, CameraAlert, Warning}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Severity ranks how urgent an event is.
type Severity string

// The severities, lowest first.
const (
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

// Severities lists every severity, lowest first.
var Severities = []Severity{Low, Medium, High, Critical}

// Rank orders severities: low 1 … critical 4; unknown 0.
func (s Severity) Rank() int {
	for i, v := range Severities {
		if s == v {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return s.Rank() > 0 }

// Event is one item on the wall and in the duty officers' queue. Personal
// fields (CallerName, CallerPhone, ReporterName, Address) are masked for
// roles that must not see them (see Masked).
type Event struct {
	ID          string    `json:"id"`
	Kind        Kind      `json:"kind"`
	SourceID    string    `json:"source_id"`
	Source      string    `json:"source"` // the ingest token's source name
	Category    string    `json:"category"`
	Severity    Severity  `json:"severity"`
	Status      Status    `json:"status"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Lon         float64   `json:"lon"`
	Lat         float64   `json:"lat"`
	GridID      string    `json:"grid_id"`
	CommunityID string    `json:"community_id"`
	StreetCode  string    `json:"street_code"`
	Address     string    `json:"address,omitempty"`
	OccurredAt  time.Time `json:"occurred_at"`
	ReportedAt  time.Time `json:"reported_at"` // when gridcc accepted it
	UpdatedAt   time.Time `json:"updated_at"`  // the last state change

	CameraID     string `json:"camera_id,omitempty"`
	SensorID     string `json:"sensor_id,omitempty"`
	CallerName   string `json:"caller_name,omitempty"`
	CallerPhone  string `json:"caller_phone,omitempty"`
	ReporterName string `json:"reporter_name,omitempty"` // the grid worker who reported it

	// The case-workflow state. Ingest leaves it empty; workflow actions
	// (dispatch, whistle, rate, merge …) fill it.
	Assignee   string    `json:"assignee,omitempty"`    // the current dispatch target (department, team or grid worker id)
	RespondBy  time.Time `json:"respond_by,omitzero"`   // SLA: someone must respond (dispatch, acknowledge, be on scene) by then
	CloseBy    time.Time `json:"close_by,omitzero"`     // SLA: the case must be closed by then
	Overdue    bool      `json:"overdue,omitempty"`     // a deadline passed while the event was open
	Whistle    []CheckIn `json:"whistle,omitempty"`     // departments summoned by 吹哨报到, with their check-ins
	Rating     uint8     `json:"rating,omitempty"`      // the citizen's 1–5 rating
	MergedInto string    `json:"merged_into,omitempty"` // the case this event was merged into
	Merged     []string  `json:"merged,omitempty"`      // events merged into this case (their sources and timelines stay)
}

// CheckIn is one department summoned to the scene by a whistle (吹哨报到):
// it must report on scene before its deadline; a missed check-in stays
// visible and is counted.
type CheckIn struct {
	Department string    `json:"department"`
	Due        time.Time `json:"due"`
	At         time.Time `json:"at,omitzero"` // when it checked in; zero while it has not
	Missed     bool      `json:"missed,omitempty"`
}

// Open reports whether the event still needs someone to act on it.
func (e *Event) Open() bool { return !e.Status.Terminal() }
