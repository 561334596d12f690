package event

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// fingerprintVersion starts the hashed text. Change it whenever the
// encoding below changes: old and new fingerprints must never be compared
// as equal or as different content (the idempotency window is 7 days, so
// right after a deploy both are in the log).
const fingerprintVersion = "gridcc/ingest-fingerprint/v1\n"

// Fingerprint is the content hash behind idempotent ingest: a re-sent
// kind+source_id with the same fingerprint is a duplicate (200, the first
// event's id), with another one a conflict (409). It is the lowercase hex
// SHA-256 of a canonical encoding of every field of Input, in a fixed order,
// each length-prefixed so no two inputs share an encoding. It is computed
// from the decoded Input, so JSON key order, white space and escapes do not
// matter; beyond that the fields are normalized:
//
//   - text fields (title, description, address, caller_name, reporter_name)
//     without surrounding white space, since ToEvent stores them so;
//   - occurred_at as the instant it names: "…T08:30:00+08:00" and
//     "…T00:30:00Z" are the same content;
//   - lon and lat as the shortest decimal of their float64, -0 as 0, and
//     absent as different from any number.
//
// Identifiers, codes and the phone number count exactly as sent. The
// fingerprint of an input that fails Validate is well-defined but only
// meaningful for valid ones.
func (in *Input) Fingerprint() string {
	h := sha256.New()
	h.Write([]byte(fingerprintVersion))
	for _, f := range [...]struct{ name, value string }{
		{"kind", string(in.Kind)},
		{"source_id", in.SourceID},
		{"category", in.Category},
		{"severity", string(in.Severity)},
		{"title", strings.TrimSpace(in.Title)},
		{"description", strings.TrimSpace(in.Description)},
		{"lon", canonicalCoord(in.Lon)},
		{"lat", canonicalCoord(in.Lat)},
		{"grid_id", in.GridID},
		{"address", strings.TrimSpace(in.Address)},
		{"occurred_at", canonicalTime(in.OccurredAt)},
		{"camera_id", in.CameraID},
		{"caller_phone", in.CallerPhone},
		{"caller_name", strings.TrimSpace(in.CallerName)},
		{"sensor_id", in.SensorID},
		{"reporter_name", strings.TrimSpace(in.ReporterName)},
	} {
		// hash.Hash.Write never returns an error.
		fmt.Fprintf(h, "%s=%d:%s\n", f.name, len(f.value), f.value)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalCoord encodes an optional coordinate; "-" (absent) is not a number.
func canonicalCoord(v *float64) string {
	switch {
	case v == nil:
		return "-"
	case *v == 0:
		return "0" // -0 and 0 are the same place
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

// canonicalTime encodes occurred_at as its UTC instant; an unparsable value
// (only in an invalid input) is kept verbatim behind a marker that no
// formatted time starts with.
func canonicalTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "raw:" + s
	}
	return t.UTC().Format(time.RFC3339Nano)
}
