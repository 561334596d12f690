package wshub

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

func TestDecodeClientMessage(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want clientMessage // checked when ok
		ok   bool
	}{
		{"OKMinimal", `{"type":"subscribe","since":0}`, clientMessage{Type: "subscribe"}, true},
		{"OKFull", `{"type":"subscribe","since":42,"epoch":"e1","filter":{"streets":["411602001"],"kinds":["hotline","warning"],"min_severity":"high"}}`,
			clientMessage{Type: "subscribe", Since: 42, Epoch: "e1", Filter: Filter{Streets: []string{"411602001"},
				Kinds: []event.Kind{event.Hotline, event.Warning}, MinSeverity: event.High}}, true},
		{"OKNullFilter", `{"type":"subscribe","filter":null}`, clientMessage{Type: "subscribe"}, true},
		{"ErrUnknownField", `{"type":"subscribe","sinse":1}`, clientMessage{}, false},
		{"ErrUnknownFilterField", `{"type":"subscribe","filter":{"street":["a"]}}`, clientMessage{}, false},
		{"ErrCaseVariantKey", `{"TYPE":"subscribe"}`, clientMessage{}, false},
		{"ErrCaseVariantFilterKey", `{"type":"subscribe","filter":{"Kinds":["hotline"]}}`, clientMessage{}, false},
		{"ErrBadKind", `{"type":"subscribe","filter":{"kinds":["fire"]}}`, clientMessage{}, false},
		{"ErrBadSeverity", `{"type":"subscribe","filter":{"min_severity":"urgent"}}`, clientMessage{}, false},
		{"ErrEmptyStreet", `{"type":"subscribe","filter":{"streets":[""]}}`, clientMessage{}, false},
		{"ErrStreetNotACode", `{"type":"subscribe","filter":{"streets":["七一路街道"]}}`, clientMessage{}, false},
		{"ErrStreetWithNUL", `{"type":"subscribe","filter":{"streets":["411602001\u0000"]}}`, clientMessage{}, false},
		{"ErrStreetTooLong", `{"type":"subscribe","filter":{"streets":["` + strings.Repeat("9", 65) + `"]}}`, clientMessage{}, false},
		{"ErrUnknownType", `{"type":"publish"}`, clientMessage{}, false},
		{"ErrNoType", `{"since":1}`, clientMessage{}, false},
		{"ErrNegativeSince", `{"type":"subscribe","since":-1}`, clientMessage{}, false},
		{"ErrFloatSince", `{"type":"subscribe","since":1.5}`, clientMessage{}, false},
		{"ErrTrailingData", `{"type":"subscribe"}{"type":"subscribe"}`, clientMessage{}, false},
		{"ErrTrailingGarbage", `{"type":"subscribe"} x`, clientMessage{}, false},
		{"ErrTruncated", `{"type":"subscr`, clientMessage{}, false},
		{"ErrArray", `[{"type":"subscribe"}]`, clientMessage{}, false},
		{"ErrInvalidUTF8", "{\"type\":\"subscribe\",\"epoch\":\"\xff\"}", clientMessage{}, false},
		{"ErrLongEpoch", `{"type":"subscribe","epoch":"` + strings.Repeat("e", 200) + `"}`, clientMessage{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeClientMessage([]byte(tt.in))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if err != nil {
				if apperr.CodeOf(err) != apperr.Invalid {
					t.Errorf("code = %q, want invalid", apperr.CodeOf(err))
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// FuzzClientMessage: the decoder never panics, and what it accepts is a
// valid subscribe that survives a round trip.
func FuzzClientMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"subscribe","since":0}`,
		`{"type":"subscribe","since":18446744073709551615,"epoch":"e1","filter":{"streets":["411602001","411602002"],"kinds":["hotline"],"min_severity":"critical"}}`,
		`{"type":"subscribe","filter":{}}`,
		`{"type":"subscribe","filter":null,"epoch":null}`,
		`{"type":"subscribe","since":1e3}`,
		`{"type":"subscribe","Type":"x"}`,
		`{"type":"subscribe","filter":{"kinds":[null]}}`,
		`[]`, `null`, `"subscribe"`, ``, `{`, `{"type":"subscribe"}   `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeClientMessage(data)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("error %v has code %q, want invalid", err, apperr.CodeOf(err))
			}
			return
		}
		if m.Type != typeSubscribe || validateFilter(m.Filter) != nil || len(m.Epoch) > maxEpochLen {
			t.Fatalf("accepted an invalid message: %+v", m)
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := decodeClientMessage(again)
		if err != nil {
			t.Fatalf("re-encoded message %s rejected: %v", again, err)
		}
		if !reflect.DeepEqual(normalise(m), normalise(m2)) {
			t.Fatalf("round trip changed %+v into %+v", m, m2)
		}
	})
}

// normalise treats an empty list and a missing one alike.
func normalise(m clientMessage) clientMessage {
	if len(m.Filter.Streets) == 0 {
		m.Filter.Streets = nil
	}
	if len(m.Filter.Kinds) == 0 {
		m.Filter.Kinds = nil
	}
	return m
}

func TestEncodeRecordMasksEveryPersonalField(t *testing.T) {
	g := newGen(7, 0)
	for range 30 {
		r := g.next()
		msg, doc := encodeRecord(&r)
		for _, b := range [][]byte{msg.full, msg.masked, doc.full, doc.masked} {
			if !json.Valid(b) {
				t.Fatalf("invalid JSON: %s", b)
			}
		}
		if phoneRE.Match(msg.masked) || phoneRE.Match(doc.masked) {
			t.Fatalf("masked view of seq %d holds a phone number: %s", r.Seq, msg.masked)
		}
		if r.Change.Reason != "" && !strings.Contains(string(msg.full), r.Change.Reason) {
			t.Errorf("full view of seq %d lost the change reason", r.Seq)
		}
		if one := encodeRecordView(&r, true); string(one) != string(msg.masked) {
			t.Errorf("encodeRecordView differs from encodeRecord for seq %d", r.Seq)
		}
	}
}
