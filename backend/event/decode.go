package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gridcc/gridcc/backend/apperr"
)

// Body limits for the HTTP layer, which must reject a larger body with 413
// before reading it into memory and calling DecodeInput or DecodeBatch.
const (
	// MaxBodyBytes bounds one event: the longest legal input (4000
	// characters of description at up to 4 bytes each, plus the other
	// fields) is well under it, even with every character \u-escaped.
	MaxBodyBytes = 64 << 10
	// MaxBatchBodyBytes bounds a batch. With MaxBatch items that leaves
	// about 8 KiB per item, ample for everything but the longest
	// descriptions; a sender with many of those sends smaller batches.
	MaxBatchBodyBytes = 8 << 20
	// MaxBatch is the most items one batch may hold.
	MaxBatch = 1000
)

// DecodeInput parses one event body strictly: it must be a single JSON
// object of valid UTF-8 with only the fields of Input, each with its JSON
// type, each at most once and spelled exactly; nothing but white space may
// follow it. Every failure is an *apperr.Error with code Invalid (TooLarge
// for a body over MaxBodyBytes) naming the field where there is one and the
// byte offset where the JSON breaks. It does not Validate the values.
//
// Nesting depth needs no limit of its own: Input is flat, so a nested value
// fails as a wrong type, and encoding/json stops scanning at depth 10000.
func DecodeInput(body []byte) (Input, error) {
	var in Input
	if len(body) > MaxBodyBytes {
		// The HTTP layer checks this too; batch items arrive here unchecked.
		return in, apperr.New(apperr.TooLarge, "an event must be at most %d bytes of JSON", MaxBodyBytes)
	}
	if err := startsObject(body); err != nil {
		return in, err
	}
	// encoding/json would quietly turn invalid bytes into U+FFFD; a sender
	// with a broken encoding should hear about it instead.
	if off := invalidUTF8Offset(body); off >= 0 {
		return in, apperr.New(apperr.Invalid, "body must be valid UTF-8 (invalid byte at offset %d)", off)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Input{}, decodeError(err, body)
	}
	if err := noTrailingData(body, dec.InputOffset()); err != nil {
		return Input{}, err
	}
	if err := exactKeys(body); err != nil {
		return Input{}, err
	}
	return in, nil
}

// startsObject rejects an empty body and any JSON value that is not an
// object (null would otherwise decode into a zero Input without error).
func startsObject(body []byte) error {
	rest := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(rest) == 0:
		return apperr.New(apperr.Invalid, "body is empty: want a JSON object")
	case rest[0] != '{':
		return apperr.New(apperr.Invalid, "body must be a JSON object (byte offset %d)", len(body)-len(rest))
	}
	return nil
}

// invalidUTF8Offset is the offset of the first byte that is not valid
// UTF-8, or -1.
func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// noTrailingData rejects anything but white space after the value that
// ended at offset end: "{…}{…}" or "{…}x" is a sender bug, not one event.
func noTrailingData(body []byte, end int64) error {
	rest := body[end:]
	if trimmed := bytes.TrimLeft(rest, " \t\r\n"); len(trimmed) > 0 {
		return apperr.New(apperr.Invalid, "unexpected data after the JSON object at byte offset %d", len(body)-len(trimmed))
	}
	return nil
}

// decodeError turns an encoding/json error into an *apperr.Error that names
// the field or the place.
func decodeError(err error, body []byte) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		syntax = wholeSyntaxError(body, syntax)
		// Offset counts the bytes read, the bad one included.
		return apperr.Wrap(err, apperr.Invalid, "malformed JSON at byte offset %d: %s", max(syntax.Offset-1, 0), syntax.Error())
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF): // the body is not empty, so EOF is early
		return apperr.Wrap(err, apperr.Invalid, "malformed JSON: the body ends early at byte offset %d (truncated?)", len(body))
	case errors.As(err, &typ):
		return typeError(typ)
	}
	// DisallowUnknownFields reports `json: unknown field "x"` as a plain
	// error; its wording has been stable since Go 1.10.
	if quoted, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if name, uerr := strconv.Unquote(quoted); uerr == nil {
			return unknownField(name)
		}
	}
	return apperr.Wrap(err, apperr.Invalid, "malformed JSON")
}

// wholeSyntaxError returns e with its offset counted from the start of the
// body. A json.Decoder counts from the value it was reading, so on this
// (rare) path the body is scanned again as a whole: the first error of the
// whole scan is the one the decoder met.
func wholeSyntaxError(body []byte, e *json.SyntaxError) *json.SyntaxError {
	var whole *json.SyntaxError
	if errors.As(json.Unmarshal(body, new(json.RawMessage)), &whole) {
		return whole
	}
	return e
}

func typeError(e *json.UnmarshalTypeError) error {
	if strings.HasPrefix(e.Value, "number ") { // a number too big for float64
		return &apperr.Error{Code: apperr.Invalid, Field: e.Field, Err: e,
			Message: e.Field + " is out of range"}
	}
	return &apperr.Error{Code: apperr.Invalid, Field: e.Field, Err: e,
		Message: e.Field + " must be a JSON " + jsonType(e.Type) + ", not " + e.Value}
}

// jsonType names the JSON type of a field of Input, which has only strings
// and *float64 (TestInputIsFlat keeps it so).
func jsonType(t reflect.Type) string {
	if t.Kind() == reflect.String {
		return "string"
	}
	return "number"
}

// maxEchoedName bounds an unknown field name echoed back in an error: the
// name is the sender's, and may be 60 KB long.
const maxEchoedName = 64

func unknownField(name string) error {
	if utf8.RuneCountInString(name) > maxEchoedName {
		name = string([]rune(name)[:maxEchoedName]) + "…"
	}
	return apperr.Field(apperr.Invalid, name, "unknown field %q (field names are case-sensitive; see docs/ingest.md)", name)
}

// inputFields maps Input's JSON field names to a bit each (exactKeys).
var inputFields = func() map[string]uint64 {
	t := reflect.TypeFor[Input]()
	if t.NumField() > 64 {
		panic("event: Input has more than 64 fields; exactKeys' bit set is too small")
	}
	names := map[string]uint64{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		names[name] = 1 << i
	}
	return names
}()

// exactKeys rejects what encoding/json accepts quietly: a key that matches a
// field only with case folded ("Title", or "ſource_id" with a long s), and a
// key given twice, of which encoding/json keeps the last and other parsers
// the first, so the sender and gridcc could disagree on what was sent. body
// is already known to be one well-formed object.
func exactKeys(body []byte) error {
	// A flat walk, not json.Decoder.Token: it runs on every ingested event
	// and the values need no decoding. Input has at most 64 fields, so a
	// bit set records which were seen.
	var seen uint64
	return topLevelKeys(body, func(key string) error {
		bit, known := inputFields[key]
		switch {
		case !known:
			return unknownField(key)
		case seen&bit != 0:
			return duplicateField(key)
		}
		seen |= bit
		return nil
	})
}

// topLevelKeys calls visit with each key of the object in body, which must
// be well-formed JSON in valid UTF-8 (DecodeInput checks both first). Strings are crossed with IndexByte; a key with an
// escape in it is unescaped by encoding/json, as the decoder saw it.
func topLevelKeys(body []byte, visit func(key string) error) error {
	depth, wantKey := 0, false
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '"':
			end, escaped := stringEnd(body, i)
			if end < 0 {
				return apperr.New(apperr.Invalid, "body is not valid JSON (unterminated string at offset %d)", i)
			}
			if depth == 1 && wantKey {
				key := string(body[i+1 : end])
				if escaped {
					if err := json.Unmarshal(body[i:end+1], &key); err != nil {
						return decodeError(err, body)
					}
				}
				if err := visit(key); err != nil {
					return err
				}
				wantKey = false
			}
			i = end
		case ',':
			wantKey = depth == 1
		case '{', '[':
			depth++
			wantKey = depth == 1
		case '}', ']':
			depth--
		}
	}
	return nil
}

// stringEnd returns the offset of the quote that closes the string opening at
// body[start] (-1 if none) and whether the string holds an escape.
func stringEnd(body []byte, start int) (end int, escaped bool) {
	for i := start + 1; ; {
		j := bytes.IndexByte(body[i:], '"')
		if j < 0 {
			return -1, escaped
		}
		end = i + j
		// The quote is escaped when an odd number of backslashes precede it.
		bs := 0
		for k := end - 1; k > start && body[k] == '\\'; k-- {
			bs++
		}
		escaped = escaped || bytes.IndexByte(body[i:end], '\\') >= 0
		if bs%2 == 0 {
			return end, escaped
		}
		i = end + 1
	}
}

func duplicateField(name string) error {
	return apperr.Field(apperr.Invalid, name, "%s is given twice; send each field once", name)
}
