package event

import (
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gridcc/gridcc/backend/apperr"
)

// Validate checks in against the ingest rules and returns nil or the first
// broken rule as an *apperr.Error with code Invalid, Field set to the JSON
// name and a message that says what is allowed. now is the server's clock
// for the occurred_at window (a parameter so that tests and replays are
// deterministic).
//
// Validate checks only that a location is given (lon+lat, grid_id, or a
// camera alert's camera_id). Whether it exists in the district and agrees
// with itself is for the caller, who has the map.
func (in *Input) Validate(now time.Time) error {
	// Evaluated in this order, which is also the order the fields appear in
	// docs/ingest.md: a sender fixing errors one by one walks down the table.
	for _, err := range []error{
		checkKind(in.Kind),
		checkID("source_id", in.SourceID, MaxSourceIDBytes, true),
		checkCategory(in.Kind, in.Category),
		checkSeverity(in.Severity),
		checkText("title", in.Title, MaxTitleRunes, true, false),
		checkText("description", in.Description, MaxDescriptionRunes, false, true),
		checkOccurredAt(in.OccurredAt, now),
		checkLonLat(in.Lon, in.Lat),
		checkID("grid_id", in.GridID, MaxRefIDBytes, false),
		checkText("address", in.Address, MaxAddressRunes, false, false),
		in.checkKindFields(),
		checkID("camera_id", in.CameraID, MaxRefIDBytes, false),
		checkID("sensor_id", in.SensorID, MaxRefIDBytes, false),
		checkPhone(in.CallerPhone),
		checkText("caller_name", in.CallerName, MaxNameRunes, false, false),
		checkText("reporter_name", in.ReporterName, MaxNameRunes, false, false),
		in.checkHasLocation(),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func invalid(field, format string, args ...any) error {
	return apperr.Field(apperr.Invalid, field, format, args...)
}

func checkKind(k Kind) error {
	if !k.Valid() {
		return invalid("kind", "kind is required: one of %s", joinCodes(Kinds))
	}
	return nil
}

func checkCategory(k Kind, code string) error {
	if !k.Valid() || ValidCategory(k, code) {
		return nil // an unknown kind was reported already
	}
	codes := make([]string, 0, len(categories[k]))
	for _, c := range categories[k] {
		codes = append(codes, c.Code)
	}
	return invalid("category", "category must be one of %s for kind %s", strings.Join(codes, ", "), k)
}

func checkSeverity(s Severity) error {
	if !s.Valid() {
		return invalid("severity", "severity is required: one of %s", joinCodes(Severities))
	}
	return nil
}

// isIDByte is the alphabet of identifiers that other systems generate:
// safe in URLs, Redis keys, logs and CSV without escaping.
func isIDByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
		b == '.' || b == '_' || b == ':' || b == '-'
}

func checkID(field, v string, maxBytes int, required bool) error {
	switch {
	case v == "" && required:
		return invalid(field, "%s is required: 1-%d characters of A-Z a-z 0-9 . _ : -", field, maxBytes)
	case len(v) > maxBytes:
		return invalid(field, "%s must be at most %d characters", field, maxBytes)
	}
	for i := 0; i < len(v); i++ {
		if !isIDByte(v[i]) {
			return invalid(field, "%s may contain only A-Z a-z 0-9 . _ : - (character %d is not allowed)", field, i+1)
		}
	}
	return nil
}

// checkText checks a human-written field: valid UTF-8, not blank if given,
// at most maxRunes characters, and no control characters (a NUL or an
// escape sequence has no business on a wall screen or in a CSV export);
// multiline text may contain \n and \t.
func checkText(field, v string, maxRunes int, required, multiline bool) error {
	switch {
	case v == "" && required:
		return invalid(field, "%s is required: 1-%d characters", field, maxRunes)
	case v == "":
		return nil
	case !utf8.ValidString(v):
		return invalid(field, "%s must be valid UTF-8", field)
	case strings.TrimSpace(v) == "":
		return invalid(field, "%s must not be blank", field)
	case utf8.RuneCountInString(v) > maxRunes:
		return invalid(field, "%s must be at most %d characters", field, maxRunes)
	}
	for i, r := range []rune(v) {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			allowed := "no control characters"
			if multiline {
				allowed = "no control characters other than newline and tab"
			}
			return invalid(field, "%s must contain %s (found U+%04X at character %d)", field, allowed, r, i+1)
		}
	}
	return nil
}

func checkPhone(v string) error {
	digits := strings.TrimPrefix(v, "+")
	ok := v == "" || len(v) >= MinPhoneChars && len(v) <= MaxPhoneChars && digits != "" &&
		strings.Trim(digits, "0123456789") == ""
	if !ok {
		return invalid("caller_phone", "caller_phone must be %d-%d characters: digits with an optional leading +", MinPhoneChars, MaxPhoneChars)
	}
	return nil
}

const occurredAtExample = "2025-06-01T08:30:00+08:00"

func checkOccurredAt(s string, now time.Time) error {
	if s == "" {
		return invalid("occurred_at", "occurred_at is required: an RFC 3339 time with offset, e.g. %s", occurredAtExample)
	}
	t, err := time.Parse(time.RFC3339, s)
	switch {
	case err != nil:
		return &apperr.Error{Code: apperr.Invalid, Field: "occurred_at", Err: err,
			Message: "occurred_at must be an RFC 3339 time with offset, e.g. " + occurredAtExample}
	case t.After(now.Add(MaxClockSkew)):
		return invalid("occurred_at", "occurred_at must not be more than %d minutes in the future (check the sender's clock)", int(MaxClockSkew/time.Minute))
	case t.Before(now.Add(-MaxEventAge)):
		return invalid("occurred_at", "occurred_at must not be more than %d days in the past", int(MaxEventAge/(24*time.Hour)))
	}
	return nil
}

func checkLonLat(lon, lat *float64) error {
	switch {
	case lon == nil && lat == nil:
		return nil
	case lat == nil:
		return invalid("lat", "lat is required when lon is given (send both or neither)")
	case lon == nil:
		return invalid("lon", "lon is required when lat is given (send both or neither)")
	case math.IsNaN(*lon) || *lon < -180 || *lon > 180: // ±Inf fails the range test
		return invalid("lon", "lon must be a WGS84 longitude from -180 to 180")
	case math.IsNaN(*lat) || *lat < -90 || *lat > 90:
		return invalid("lat", "lat must be a WGS84 latitude from -90 to 90")
	}
	return nil
}

// kindFields are the fields that belong to one kind only. A sender that puts
// a caller's phone on a camera alert has mixed up its mapping; rejecting it
// is kinder than storing personal data where nobody expects it.
var kindFields = []struct {
	field    string
	kind     Kind
	required bool
	value    func(*Input) string
}{
	{"camera_id", CameraAlert, true, func(in *Input) string { return in.CameraID }},
	{"caller_phone", Hotline, false, func(in *Input) string { return in.CallerPhone }},
	{"caller_name", Hotline, false, func(in *Input) string { return in.CallerName }},
	{"sensor_id", Warning, true, func(in *Input) string { return in.SensorID }},
	{"reporter_name", GridEvent, false, func(in *Input) string { return in.ReporterName }},
}

func (in *Input) checkKindFields() error {
	for _, f := range kindFields {
		v := f.value(in)
		switch {
		case in.Kind != f.kind && v != "":
			return invalid(f.field, "%s is only allowed for kind %s", f.field, f.kind)
		case in.Kind == f.kind && f.required && v == "":
			return invalid(f.field, "%s is required for kind %s", f.field, f.kind)
		}
	}
	return nil
}

func (in *Input) checkHasLocation() error {
	if in.Lon != nil || in.GridID != "" || in.Kind == CameraAlert && in.CameraID != "" {
		return nil
	}
	return invalid("lon", "a location is required: lon and lat, or grid_id")
}

// joinCodes lists enum values for an error message: "low, medium, high".
func joinCodes[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
