package history

import (
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// SLAs are the time limits within which a case should be closed, per kind
// and category, scaled by severity. These are the defaults gridcc ships;
// the case-workflow uses the same table for due times, and the history
// judges every closing against the limit in force when it was written
// (stored with the row), so changing the table never rewrites the past.
//
// The values follow common practice for the channels: 12345 hotline
// requests get 5 days (consultations 1), grid events 3 days (disputes and
// safety hazards faster), camera alerts and sensor warnings minutes.
type SLAs struct {
	Kind     map[event.Kind]time.Duration            // default per kind
	Category map[event.Kind]map[string]time.Duration // overrides per kind and category
	// Severity scales the limit: a critical case gets a quarter of the time.
	Severity map[event.Severity]float64
}

// DefaultSLAs is the shipped SLA table.
var DefaultSLAs = SLAs{
	Kind: map[event.Kind]time.Duration{
		event.GridEvent:   72 * time.Hour,
		event.Hotline:     5 * 24 * time.Hour,
		event.CameraAlert: 30 * time.Minute,
		event.Warning:     30 * time.Minute,
	},
	Category: map[event.Kind]map[string]time.Duration{
		event.GridEvent: {
			"dispute":       48 * time.Hour, // a dispute left alone escalates (DOMAIN.md's kitchen-knife case)
			"public_safety": 24 * time.Hour,
			"safety_hazard": 24 * time.Hour,
			"livelihood":    5 * 24 * time.Hour,
		},
		event.Hotline: {
			"consultation":   24 * time.Hour,
			"dispute":        3 * 24 * time.Hour,
			"public_service": 3 * 24 * time.Hour,
			"labor":          10 * 24 * time.Hour, // unpaid wages need the labour bureau
			"housing":        7 * 24 * time.Hour,
		},
		event.CameraAlert: {
			"fire_smoke": 10 * time.Minute,
			"fight":      10 * time.Minute,
		},
		event.Warning: {
			"fire":        10 * time.Minute,
			"gas":         10 * time.Minute,
			"water_level": 20 * time.Minute,
		},
	},
	Severity: map[event.Severity]float64{
		event.Low:      1.5,
		event.Medium:   1,
		event.High:     0.5,
		event.Critical: 0.25,
	},
}

// fallbackSLA applies to a kind the table does not know.
const fallbackSLA = 72 * time.Hour

// For returns the SLA of a case of kind k, category cat and severity sev.
func (s SLAs) For(k event.Kind, cat string, sev event.Severity) time.Duration {
	d, ok := s.Category[k][cat]
	if !ok {
		d, ok = s.Kind[k]
	}
	if !ok {
		d = fallbackSLA
	}
	if f, ok := s.Severity[sev]; ok {
		d = time.Duration(float64(d) * f)
	}
	return d
}
