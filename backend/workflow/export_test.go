package workflow

import "time"

// SetClockForTest replaces the service's clock (tests only).
func SetClockForTest(s *Service, now func() time.Time) { s.now = now }

// SetTimerClockForTest replaces the timer's clock (tests only).
func SetTimerClockForTest(t *Timer, now func() time.Time) { t.now = now }
