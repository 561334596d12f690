package event

import "regexp"

// areaCodeRE is the shape of a street, community or grid code wherever a
// client names one (a stats filter, a live-stream filter): what the district
// data uses, with room for other districts' schemes. Checking the shape
// turns a typo into a clear 400 or 4400 instead of an empty answer, and
// keeps control characters and megabytes out of queries and logs.
var areaCodeRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// AreaCodeRule says what ValidAreaCode accepts, for error messages.
const AreaCodeRule = "1-64 characters of A-Z a-z 0-9 . _ : -"

// ValidAreaCode reports whether s has the shape of a street, community or
// grid code. It does not say the area exists.
func ValidAreaCode(s string) bool { return areaCodeRE.MatchString(s) }
