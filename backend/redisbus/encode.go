package redisbus

import (
	"encoding/json"
	"fmt"

	"github.com/gridcc/gridcc/backend/event"
)

// encodedRecord is a record in the three JSON forms the append and update
// scripts store: the log entry, the event's state and the change alone.
type encodedRecord struct {
	record, state, change []byte
}

// encodeRecord encodes the event and the change once each and builds the log
// entry from them: json.Marshal of the record would encode the event (the bulk
// of it) a second time, on the ingest path of every event. The entry is byte
// for byte what json.Marshal(rec) gives (TestEncodeRecordMatchesMarshal).
func encodeRecord(rec *event.Record) (encodedRecord, error) {
	typ, err := json.Marshal(rec.Type)
	if err != nil {
		return encodedRecord{}, fmt.Errorf("redisbus: encode record type: %w", err)
	}
	state, err := json.Marshal(&rec.Event)
	if err != nil {
		return encodedRecord{}, fmt.Errorf("redisbus: encode event: %w", err)
	}
	change, err := json.Marshal(&rec.Change)
	if err != nil {
		return encodedRecord{}, fmt.Errorf("redisbus: encode change: %w", err)
	}
	const head, mid, tail = `{"type":`, `,"event":`, `,"change":`
	b := make([]byte, 0, len(head)+len(typ)+len(mid)+len(state)+len(tail)+len(change)+1)
	b = append(append(append(append(append(append(b, head...), typ...), mid...), state...), tail...), change...)
	b = append(b, '}')
	return encodedRecord{record: b, state: state, change: change}, nil
}
