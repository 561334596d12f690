package event

import "strings"

// Masked returns e as a role that must not see personal data (the wall, the
// reviewers; auth.Role.SeesPersonalData decides) may see it:
//
//   - CallerName, ReporterName: the first character and 某 ("叶文华" → "叶某");
//   - CallerPhone: the first 3 and last 4 characters, the rest starred
//     ("138****1234"); a number shorter than 11 keeps only its last 2;
//   - Address: cut at community level, after the last 社区, 村, 小区 or 街道
//     within its first 40 characters, and "…" appended; "（地址已隐藏）" when
//     there is no such marker;
//   - Title, Description, Address, SourceID, Source: every mobile number
//     (1[3-9] and 9 digits, also written with spaces or dashes inside) and
//     every ID-card number (17 digits and a digit or X) starred except its
//     first 3 and last 4 characters; so is any longer run of digits that
//     contains one.
//
// Masked is idempotent, and leaves no match of 1[3-9]\d{9} or \d{17}[\dXx] in
// the fields above. Identifiers and codes are kept verbatim, because screens
// join on them and they name places and devices, not people: ID, GridID,
// CommunityID, StreetCode, Assignee, MergedInto, CameraID (a GB/T 28181
// camera id has 20 digits and would otherwise be starred), SensorID, Kind,
// Category, Severity, Status. Names written inside the free text are not found; senders are
// asked (docs/ingest.md) to put them in the name fields.
func Masked(e Event) Event {
	e.CallerName = maskName(e.CallerName)
	e.ReporterName = maskName(e.ReporterName)
	e.CallerPhone = maskPhone(e.CallerPhone)
	e.Address = MaskAddress(e.Address)
	e.Title = maskNumbers(e.Title)
	e.Description = maskNumbers(e.Description)
	e.SourceID = maskNumbers(e.SourceID)
	e.Source = maskNumbers(e.Source)
	return e
}

// maskName keeps the first character, which in a Chinese name is the
// surname: enough to tell "叶某" from "王某" on a screen, not enough to find
// the person.
func maskName(s string) string {
	s = strings.TrimSpace(s)
	for _, r := range s {
		return string(r) + "某"
	}
	return ""
}

// mobileLen is the length of a mainland mobile number; phone numbers at
// least this long keep their first 3 and last 4 characters.
const mobileLen = 11

func maskPhone(s string) string {
	r := []rune(s)
	keepHead, keepTail := 3, 4
	if len(r) < mobileLen {
		keepHead, keepTail = 0, 2
	}
	for i := keepHead; i < len(r)-keepTail; i++ {
		r[i] = '*'
	}
	return string(r)
}

// addressMarkers end the community-level part of an address.
var addressMarkers = []string{"社区", "村", "小区", "街道"}

const (
	addressKeepRunes = 40
	addressHidden    = "（地址已隐藏）"
)

// MaskAddress keeps the address down to its community: where the event is,
// for the map and the review, but not which door.
func MaskAddress(s string) string {
	if s == "" {
		return ""
	}
	// Converting through []rune also turns invalid UTF-8 into U+FFFD on the
	// first pass, not only when the address is long: otherwise a 40-character
	// result would be converted on the second pass, and masking twice would
	// differ from masking once.
	r := []rune(s)
	head := string(r[:min(len(r), addressKeepRunes)])
	end := -1
	for _, m := range addressMarkers {
		if i := strings.LastIndex(head, m); i >= 0 {
			end = max(end, i+len(m))
		}
	}
	if end < 0 {
		return addressHidden
	}
	// The kept part may still hold a phone number ("…13812345678号楼小区").
	return maskNumbers(head[:end]) + "…"
}
