package event

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"
)

// The fuzz targets' seed corpora live in testdata/fuzz/<FuzzName>/ and run
// with every `go test`. Run one for real with
//
//	go test -run '^$' -fuzz FuzzDecodeInput -fuzztime 30s ./backend/event/
//
// and commit any crasher it writes there once it is fixed.

// FuzzDecodeInput: decoding never panics, every error is a client error,
// and an input that decodes and validates survives a round trip through
// JSON unchanged (same fields, same fingerprint), then masks cleanly.
func FuzzDecodeInput(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := DecodeInput(body)
		if err != nil {
			requireBoundedError(t, err)
			return
		}
		if err := in.Validate(testNow); err != nil {
			requireClientError(t, err)
			return
		}
		again, err := DecodeInput(mustJSON(t, in))
		if err != nil {
			t.Fatalf("re-encoded valid input does not decode: %v", err)
		}
		if !reflect.DeepEqual(again, in) {
			t.Fatalf("round trip changed the input:\n got %+v\nwant %+v", again, in)
		}
		if err := again.Validate(testNow); err != nil {
			t.Fatalf("round trip made the input invalid: %v", err)
		}
		if again.Fingerprint() != in.Fingerprint() {
			t.Fatal("round trip changed the fingerprint")
		}
		requireMasked(t, Masked(in.ToEvent("E1", Location{}, "fuzz", testNow)))
	})
}

// FuzzDecodeBatch: never panics, errors are client errors, and a batch that
// decodes has 1..MaxBatch well-formed items, each of which decodes or fails
// on its own with a client error.
func FuzzDecodeBatch(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := DecodeBatch(body)
		if err != nil {
			requireBoundedError(t, err)
			return
		}
		if len(items) < 1 || len(items) > MaxBatch {
			t.Fatalf("DecodeBatch returned %d items", len(items))
		}
		for i, item := range items {
			if !json.Valid(item) {
				t.Fatalf("item %d is not one JSON value: %q", i, item)
			}
			if in, err := DecodeInput(item); err != nil {
				requireBoundedError(t, err)
			} else if err := in.Validate(testNow); err != nil {
				requireClientError(t, err)
			}
		}
	})
}

// FuzzMasked: whatever the sender wrote, the masked fields hold no mobile
// or ID-card number, masking is idempotent, and identifiers are untouched.
func FuzzMasked(f *testing.F) {
	f.Fuzz(func(t *testing.T, title, description, address, name, phone, sourceID string) {
		e := Event{
			ID: "E1", Kind: Hotline, SourceID: sourceID, Source: sourceID, Category: "other",
			Title: title, Description: description, Address: address,
			CallerName: name, ReporterName: name, CallerPhone: phone,
			GridID: phone, CommunityID: name, StreetCode: sourceID, CameraID: title, SensorID: address,
		}
		m := Masked(e)
		requireMasked(t, m)
		if len(m.Title) != len(e.Title) || len(m.Description) != len(e.Description) {
			t.Fatal("masking free text changed its length")
		}
		ev, mv := reflect.ValueOf(e), reflect.ValueOf(m)
		for _, name := range verbatimFields {
			if ev.FieldByName(name).String() != mv.FieldByName(name).String() {
				t.Fatalf("Masked changed identifier %s", name)
			}
		}
	})
}

// requireBoundedError is requireClientError plus a bound on what is echoed
// back: the field name is at most maxEchoedName characters (and "…").
func requireBoundedError(tb testing.TB, err error) {
	tb.Helper()
	ae := requireClientError(tb, err)
	if n := len([]rune(ae.Field)); n > maxEchoedName+1 {
		tb.Fatalf("error field name is %d characters long", n)
	}
}

// FuzzTopLevelKeys holds exactKeys' flat walk to json.Decoder's tokens on
// every well-formed object: the same keys, unescaped alike, in order.
func FuzzTopLevelKeys(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"b":"x\"y","c":{"d":[1,{"e":2}]},"\u0066":null}`, `{"a\\":"\\","b":["]"]}`, ` { "k" : "v" } `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !json.Valid(body) || !utf8.Valid(body) || startsObject(body) != nil { // as DecodeInput calls it
			return
		}
		var want []string
		dec := json.NewDecoder(bytes.NewReader(body))
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, tok.(string))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		if err := topLevelKeys(body, func(k string) error { got = append(got, k); return nil }); err != nil {
			t.Fatalf("topLevelKeys(%q): %v", body, err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("topLevelKeys(%q) = %q, want %q", body, got, want)
		}
	})
}
