package history

import "time"

// SetClockForTest makes s read the time from now (tests only).
func SetClockForTest(s *Stats, now func() time.Time) { s.now = now }
