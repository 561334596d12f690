package event

import (
	"bytes"
	"encoding/json"

	"github.com/gridcc/gridcc/backend/apperr"
)

// DecodeBatch parses a batch body, {"events":[…]} with 1 to MaxBatch items,
// as strictly as DecodeInput parses one event. Each item is returned raw,
// unchecked: the caller decodes, validates and answers each one on its own,
// so that one bad item does not cost the sender the good ones. Errors are
// *apperr.Error: Invalid for a malformed envelope, TooLarge naming events
// for more than MaxBatch items.
func DecodeBatch(body []byte) ([]json.RawMessage, error) {
	if err := startsObject(body); err != nil {
		return nil, err
	}
	// The envelope is walked token by token rather than decoded whole, so a
	// batch over MaxBatch stops at item MaxBatch+1 instead of first
	// allocating millions of tiny items out of an 8 MiB body of "[1,1,1…".
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // a huge number where the array belongs is a type error, not an overflow
	if _, err := dec.Token(); err != nil {
		return nil, decodeError(err, body)
	}
	var items []json.RawMessage
	seen := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, decodeError(err, body)
		}
		key, _ := tok.(string)
		switch {
		case key != "events":
			return nil, unknownField(key)
		case seen:
			return nil, duplicateField(key)
		}
		seen = true
		if items, err = decodeItems(dec, body); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, decodeError(err, body)
	}
	if err := noTrailingData(body, dec.InputOffset()); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, apperr.Field(apperr.Invalid, "events", "events is required: an array of 1-%d event objects", MaxBatch)
	}
	return items, nil
}

// decodeItems reads the value of "events": null (as if absent) or an array,
// whose items it keeps raw.
func decodeItems(dec *json.Decoder, body []byte) ([]json.RawMessage, error) {
	tok, err := dec.Token()
	switch {
	case err != nil:
		return nil, decodeError(err, body)
	case tok == nil:
		return nil, nil
	case tok != json.Delim('['):
		return nil, apperr.Field(apperr.Invalid, "events", "events must be a JSON array of event objects")
	}
	var items []json.RawMessage
	for dec.More() {
		if len(items) == MaxBatch {
			return nil, apperr.Field(apperr.TooLarge, "events", "events must have at most %d items; split the batch", MaxBatch)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, decodeError(err, body)
		}
		items = append(items, raw)
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return nil, decodeError(err, body)
	}
	return items, nil
}
