package sim

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScanFrame(t *testing.T) {
	for _, tc := range []struct {
		name  string
		frame string
		want  []wireMsg
	}{
		{"OK_empty", `[]`, nil},
		{"OK_events", `[{"type":"event","seq":7,"data":{"id":"a-1","title":"x\"y","n":[1,{"id":"inner"}]}},` +
			` {"type":"event","seq":8,"data":{"kind":"hotline","id":"a-2"}}]`,
			[]wireMsg{{typ: typeEvent, seq: 7, id: []byte("a-1")}, {typ: typeEvent, seq: 8, id: []byte("a-2")}}},
		{"OK_control", `[{"type":"snapshot","seq":3,"epoch":"e","data":{"open":[{"id":"z"}],"stats":{}}},{"type":"live","seq":3}]`,
			[]wireMsg{{typ: typeOther, seq: 3}, {typ: typeLive, seq: 3}}},
		{"OK_keyOrderAndSpace", " [ { \"data\" : { \"id\" : \"b\" } , \"seq\" : 12 , \"type\" : \"event\" } ] ",
			[]wireMsg{{typ: typeEvent, seq: 12, id: []byte("b")}}},
		{"OK_escapedBackslashBeforeQuote", `[{"type":"error","seq":1,"data":{"msg":"a\\","id":"c"}}]`,
			[]wireMsg{{typ: typeError, seq: 1, id: []byte("c")}}},
		{"OK_resetNullData", `[{"type":"reset","seq":0,"data":null}]`, []wireMsg{{typ: typeReset}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := scanFrame([]byte(tc.frame), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d messages, want %d: %+v", len(got), len(tc.want), got)
			}
			for i := range got {
				if got[i].typ != tc.want[i].typ || got[i].seq != tc.want[i].seq || !bytes.Equal(got[i].id, tc.want[i].id) {
					t.Errorf("message %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
	for _, bad := range []string{``, `{}`, `[`, `[{"type":"event"`, `[{"type":"event"}] x`, `[{"type":"event","data":{"id":"a}]`, `[1]`, `[{"a":}]`} {
		t.Run("ErrFrame", func(t *testing.T) {
			if _, err := scanFrame([]byte(bad), nil); err == nil {
				t.Errorf("scanFrame(%q) = nil error", bad)
			}
		})
	}
}

// FuzzScanFrame checks that the targeted decoder never panics and agrees
// with encoding/json on every valid frame it can judge.
func FuzzScanFrame(f *testing.F) {
	for _, seed := range []string{
		`[{"type":"event","seq":7,"data":{"id":"0197a3c2-5b1e","title":"噪音","lon":114.6}}]`,
		`[{"type":"live","seq":3},{"type":"stats","seq":3,"data":{"today":{"hotline":2}}}]`,
		`[{"type":"update","seq":9,"data":{"change":{"event_id":"x"},"event":{"id":"x"}}}]`,
		`[]`, `[{"type":"event","seq":1,"data":{"id":"a\\\"b"}}]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		got, err := scanFrame(frame, nil)
		if bytes.ContainsRune(frame, '\\') || !utf8.Valid(frame) || !json.Valid(frame) {
			// Escapes and invalid UTF-8 are returned raw on purpose (the
			// server sends neither in type or id); such input only must not
			// panic.
			return
		}
		var msgs []map[string]json.RawMessage
		if json.Unmarshal(frame, &msgs) != nil {
			return
		}
		if err != nil {
			t.Fatalf("valid frame %q: %v", frame, err)
		}
		if len(got) != len(msgs) {
			t.Fatalf("%d messages, encoding/json sees %d", len(got), len(msgs))
		}
		for i, m := range msgs {
			var typ string
			if json.Unmarshal(m["type"], &typ) == nil && got[i].typ != typeOf([]byte(typ)) {
				t.Errorf("message %d: type %v, want %q", i, got[i].typ, typ)
			}
			var seq uint64
			if raw := strings.TrimSpace(string(m["seq"])); raw != "" && strings.Trim(raw, "0123456789") == "" &&
				json.Unmarshal(m["seq"], &seq) == nil && got[i].seq != seq {
				t.Errorf("message %d: seq %d, want %d", i, got[i].seq, seq)
			}
			var data map[string]json.RawMessage
			var id string
			if json.Unmarshal(m["data"], &data) == nil && json.Unmarshal(data["id"], &id) == nil && string(got[i].id) != id {
				t.Errorf("message %d: id %q, want %q", i, got[i].id, id)
			}
		}
	})
}

func BenchmarkScanFrame(b *testing.B) {
	msg := `{"type":"event","seq":123456,"data":{"id":"0197a3c2-5b1e-7c3a-9f4e-2d8b6a1c0e55","kind":"hotline","title":"反映七一路夜间施工噪音扰民","description":"` +
		strings.Repeat("现场情况持续关注中。", 12) + `","lon":114.6468,"lat":33.6165}}`
	frame := []byte("[" + msg + "," + msg + "]")
	var out []wireMsg
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if out, err = scanFrame(frame, out[:0]); err != nil || len(out) != 2 {
			b.Fatal(err)
		}
	}
}
