package wshub

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// views holds the same thing encoded for the two audiences: full for
// officers, masked (event.Masked) for the wall. Clients get one or the
// other by their ClientInfo.Masked, never a mix.
type views struct {
	full, masked []byte
}

func (v views) of(masked bool) []byte {
	if masked {
		return v.masked
	}
	return v.full
}

// encodeRecord encodes a record's live message and its event document for
// both views. It runs once per record per replica, whatever the number of
// clients.
func encodeRecord(r *event.Record) (msg, doc views) {
	doc = views{full: encodeEvent(r.Event), masked: encodeEvent(event.Masked(r.Event))}
	msg = views{full: recordMessage(r, doc.full, false), masked: recordMessage(r, doc.masked, true)}
	return msg, doc
}

// encodeRecordView encodes one view of a record's message (log replays,
// which are per client anyway).
func encodeRecordView(r *event.Record, masked bool) []byte {
	e := r.Event
	if masked {
		e = event.Masked(e)
	}
	return recordMessage(r, encodeEvent(e), masked)
}

// recordMessage builds {"type":"event"|"update","seq":N,"data":…} around an
// already encoded event. In the masked view the change's free-text Reason is
// left out: officers type it and it may quote a caller's name or number,
// which event.Masked cannot see.
func recordMessage(r *event.Record, ev []byte, masked bool) []byte {
	b := make([]byte, 0, len(ev)+256)
	if r.Type == event.RecordEvent {
		b = append(b, `{"type":"event","seq":`...)
		b = strconv.AppendUint(b, r.Seq, 10)
		b = append(b, `,"data":`...)
		b = append(b, ev...)
		return append(b, '}')
	}
	ch := r.Change
	if masked {
		ch.Reason = ""
	}
	b = append(b, `{"type":"update","seq":`...)
	b = strconv.AppendUint(b, r.Seq, 10)
	b = append(b, `,"data":{"change":`...)
	b = append(b, mustJSON(ch)...)
	b = append(b, `,"event":`...)
	b = append(b, ev...)
	return append(b, "}}"...)
}

// encodeEvent encodes e. Encoding fails only for values validation rejects
// upstream (non-finite coordinates, years outside 0–9999); rather than drop
// the record, which would be a silent gap, it logs and sends the event with
// those fields zeroed.
func encodeEvent(e event.Event) []byte {
	b, err := json.Marshal(e)
	if err == nil {
		return b
	}
	slog.Error("wshub: event does not encode; sending it with invalid fields zeroed", "id", e.ID, "err", err)
	for _, f := range []*float64{&e.Lon, &e.Lat} {
		if math.IsNaN(*f) || math.IsInf(*f, 0) {
			*f = 0
		}
	}
	for _, t := range []*time.Time{&e.OccurredAt, &e.ReportedAt, &e.UpdatedAt} {
		if t.Year() < 0 || t.Year() > 9999 {
			*t = time.Time{}
		}
	}
	return mustJSON(e)
}

// mustJSON encodes values whose encoding cannot fail (no floats, channels or
// out-of-range times); a failure is a bug.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("wshub: encode %T: %v", v, err))
	}
	return b
}

// snapshotMessage builds {"type":"snapshot","seq","epoch","data":{"open":[…],"stats":…}}
// from already encoded event documents (of the client's view).
func snapshotMessage(seq uint64, epoch string, open [][]byte, stats Stats) []byte {
	n := 256
	for _, d := range open {
		n += len(d) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `{"type":"snapshot","seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"epoch":`...)
	b = append(b, mustJSON(epoch)...)
	b = append(b, `,"data":{"open":[`...)
	for i, d := range open {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, d...)
	}
	b = append(b, `],"stats":`...)
	b = append(b, mustJSON(stats)...)
	return append(b, "}}"...)
}

// statsMessage builds {"type":"stats","seq":N,"data":Stats}.
func statsMessage(seq uint64, s Stats) []byte {
	return mustJSON(struct {
		Type string `json:"type"`
		Seq  uint64 `json:"seq"`
		Data Stats  `json:"data"`
	}{"stats", seq, s})
}

// controlMessage is the shape of the live, reset and error messages.
type controlMessage struct {
	Type    string  `json:"type"`
	Seq     uint64  `json:"seq"`
	Epoch   *string `json:"epoch,omitempty"`
	Reason  string  `json:"reason,omitempty"`
	Code    string  `json:"code,omitempty"`
	Message string  `json:"message,omitempty"`
}

func liveMessage(seq uint64) []byte {
	return mustJSON(controlMessage{Type: "live", Seq: seq})
}

func resetMessage(seq uint64, epoch, reason string) []byte {
	return mustJSON(controlMessage{Type: "reset", Seq: seq, Epoch: &epoch, Reason: reason})
}

func errorMessage(seq uint64, code, message string) []byte {
	return mustJSON(controlMessage{Type: "error", Seq: seq, Code: code, Message: message})
}
