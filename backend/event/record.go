package event

// RecordType says what a log record did.
type RecordType string

// The record types. They double as the `type` of live WebSocket messages.
const (
	RecordEvent  RecordType = "event"  // a new event was reported
	RecordUpdate RecordType = "update" // an existing event changed state
)

// Record is one entry of the durable log (a Redis Stream). Seq is the log's
// global, strictly increasing sequence; it is assigned atomically with the
// append, so it is not part of the stored JSON: readers set it from the
// entry's id with SetSeq.
type Record struct {
	Seq    uint64     `json:"-"`
	Type   RecordType `json:"type"`
	Event  Event      `json:"event"`  // the event's whole state after this record
	Change Change     `json:"change"` // the state change this record made
}

// SetSeq stamps the log sequence on the record and its change.
func (r *Record) SetSeq(seq uint64) {
	r.Seq = seq
	r.Change.Seq = seq
}
