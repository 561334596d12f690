package wshub

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

// The client → server message types.
const typeSubscribe = "subscribe"

// Bounds of a subscribe filter, besides Options.ReadLimit on the whole frame.
const (
	maxFilterStreets = 256
	maxEpochLen      = 128
)

// clientMessage is a decoded client → server message; docs/websocket.md has
// the protocol.
type clientMessage struct {
	Type   string `json:"type"`
	Since  uint64 `json:"since"`
	Epoch  string `json:"epoch"`
	Filter Filter `json:"filter"`
}

// The keys each object may carry, spelled exactly: encoding/json alone would
// also accept "TYPE" or "Since", and a strict protocol names one spelling.
var (
	messageKeys = map[string]bool{"type": true, "since": true, "epoch": true, "filter": true}
	filterKeys  = map[string]bool{"streets": true, "kinds": true, "min_severity": true}
)

// decodeClientMessage decodes and validates one client frame strictly:
// exactly one JSON object, no unknown or misspelt keys, known enum values,
// bounded lists. Errors are *apperr.Error with code Invalid.
func decodeClientMessage(data []byte) (clientMessage, error) {
	var m clientMessage
	if !utf8.Valid(data) {
		return m, apperr.New(apperr.Invalid, "message is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return clientMessage{}, apperr.Wrap(err, apperr.Invalid, "message is not a valid subscribe object: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return clientMessage{}, apperr.New(apperr.Invalid, "message has data after the JSON object")
	}
	if err := checkKeys(data); err != nil {
		return clientMessage{}, err
	}
	if m.Type != typeSubscribe {
		return clientMessage{}, apperr.Field(apperr.Invalid, "type", "unknown message type %q; want %q", m.Type, typeSubscribe)
	}
	if len(m.Epoch) > maxEpochLen {
		return clientMessage{}, apperr.Field(apperr.Invalid, "epoch", "epoch longer than %d bytes", maxEpochLen)
	}
	return m, validateFilter(m.Filter)
}

// checkKeys rejects keys that differ from the protocol's only in case.
func checkKeys(data []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "message is not a JSON object")
	}
	for k := range top {
		if !messageKeys[k] {
			return apperr.Field(apperr.Invalid, k, "unknown field %q", k)
		}
	}
	raw, ok := top["filter"]
	if !ok || string(raw) == "null" {
		return nil
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(raw, &f); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "filter is not a JSON object")
	}
	for k := range f {
		if !filterKeys[k] {
			return apperr.Field(apperr.Invalid, "filter."+k, "unknown field %q", k)
		}
	}
	return nil
}

func validateFilter(f Filter) error {
	if len(f.Streets) > maxFilterStreets {
		return apperr.Field(apperr.Invalid, "filter.streets", "more than %d streets", maxFilterStreets)
	}
	for _, s := range f.Streets {
		if !event.ValidAreaCode(s) {
			return apperr.Field(apperr.Invalid, "filter.streets", "a street code is %s", event.AreaCodeRule)
		}
	}
	if len(f.Kinds) > len(event.Kinds) {
		return apperr.Field(apperr.Invalid, "filter.kinds", "more kinds than exist")
	}
	for _, k := range f.Kinds {
		if !k.Valid() {
			return apperr.Field(apperr.Invalid, "filter.kinds", "unknown kind %q", k)
		}
	}
	if f.MinSeverity != "" && !f.MinSeverity.Valid() {
		return apperr.Field(apperr.Invalid, "filter.min_severity", "unknown severity %q", f.MinSeverity)
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the client's input
// at length.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "syntax error"
	case errors.As(err, &typ):
		return "wrong type for field " + typ.Field
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated"
	default:
		return err.Error()
	}
}
