package workflow

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// Cross-channel duplicates: a hotline call, a grid report and a camera alert
// about the same thing are suggested for merging when they are near in
// space and time and their categories are compatible.
const (
	SuggestRadiusM = 150.0         // at most this far apart (great-circle metres)
	SuggestWindow  = 2 * time.Hour // occurred at most this far apart
	maxSuggestions = 10
)

// The compatibility groups: two categories are compatible when they are the
// same category of the same kind, or share a group.
const (
	groupDispute     = "dispute"      // people in conflict
	groupPublicOrder = "public_order" // order and safety in public space
	groupFireGas     = "fire_gas"     // fire, smoke, gas
	groupEnvironment = "environment"  // dirt, smells, air
	groupCity        = "city"         // vending, parking, street order
	groupUtilities   = "utilities"    // water, power
	groupBuilding    = "building"     // houses and structures
)

// compatibility is the table of docs/workflow.md: per group, the categories
// of each kind in it. "other" is in no group.
var compatibility = map[string]map[event.Kind][]string{
	groupDispute: {
		event.GridEvent: {"dispute"}, event.Hotline: {"dispute"}, event.CameraAlert: {"fight"},
	},
	groupPublicOrder: {
		event.GridEvent: {"public_safety"}, event.CameraAlert: {"fight", "crowd", "intrusion"},
	},
	groupFireGas: {
		event.GridEvent: {"safety_hazard"}, event.CameraAlert: {"fire_smoke"}, event.Warning: {"fire", "gas"},
	},
	groupEnvironment: {
		event.GridEvent: {"environment"}, event.Hotline: {"environment"}, event.Warning: {"air_quality"},
	},
	groupCity: {
		event.GridEvent: {"city_management"}, event.Hotline: {"city_management", "traffic"},
		event.CameraAlert: {"street_vending", "illegal_parking"},
	},
	groupUtilities: {
		event.Hotline: {"public_service"}, event.Warning: {"power", "water_level"}, event.GridEvent: {"livelihood"},
	},
	groupBuilding: {
		event.GridEvent: {"safety_hazard"}, event.Hotline: {"housing"}, event.Warning: {"structure"},
	},
}

// groupOrder lists the groups in documentation order.
var groupOrder = []string{groupDispute, groupPublicOrder, groupFireGas, groupEnvironment, groupCity, groupUtilities, groupBuilding}

// groupsOf returns the groups a category of a kind belongs to.
func groupsOf(k event.Kind, category string) []string {
	var out []string
	for _, g := range groupOrder {
		if slices.Contains(compatibility[g][k], category) {
			out = append(out, g)
		}
	}
	return out
}

// Compatible reports whether two events' categories may be about the same
// thing, and names the reason: "same" for the same kind and category, else
// the first group both are in.
func Compatible(a, b *event.Event) (string, bool) {
	if a.Kind == b.Kind && a.Category == b.Category {
		return "same", true
	}
	gb := groupsOf(b.Kind, b.Category)
	for _, g := range groupsOf(a.Kind, a.Category) {
		if slices.Contains(gb, g) {
			return g, true
		}
	}
	return "", false
}

// Suggestion is an open event that may be a duplicate of another.
type Suggestion struct {
	EventID      string         `json:"event_id"`
	Kind         event.Kind     `json:"kind"`
	Category     string         `json:"category"`
	Status       event.Status   `json:"status"`
	Severity     event.Severity `json:"severity"`
	Title        string         `json:"title"`
	DistanceM    float64        `json:"distance_m"`
	MinutesApart float64        `json:"minutes_apart"`
	Match        string         `json:"match"` // "same" or the compatibility group
}

// Suggestions returns up to 10 of the open events that may be duplicates of
// e: within SuggestRadiusM, occurred within SuggestWindow, compatible
// category; nearest first. e itself and events without coordinates are left
// out, and so is the case e was merged into.
func Suggestions(e *event.Event, open []event.Event) []Suggestion {
	var out []Suggestion
	if !hasPoint(e) {
		return nil
	}
	for i := range open {
		o := &open[i]
		if o.ID == e.ID || o.ID == e.MergedInto || !o.Open() || !hasPoint(o) {
			continue
		}
		apart := o.OccurredAt.Sub(e.OccurredAt).Abs()
		if apart > SuggestWindow {
			continue
		}
		d := DistanceM(e.Lon, e.Lat, o.Lon, o.Lat)
		if d > SuggestRadiusM {
			continue
		}
		match, ok := Compatible(e, o)
		if !ok {
			continue
		}
		out = append(out, Suggestion{EventID: o.ID, Kind: o.Kind, Category: o.Category, Status: o.Status,
			Severity: o.Severity, Title: o.Title, DistanceM: math.Round(d*10) / 10,
			MinutesApart: math.Round(apart.Minutes()*10) / 10, Match: match})
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(a.DistanceM, b.DistanceM), cmp.Compare(a.MinutesApart, b.MinutesApart), cmp.Compare(a.EventID, b.EventID))
	})
	return out[:min(len(out), maxSuggestions)]
}

func hasPoint(e *event.Event) bool { return e.Lon != 0 || e.Lat != 0 }

// DistanceM is the great-circle distance between two WGS84 points in metres
// (haversine on a sphere of the mean Earth radius: within 0.5 % at this
// scale, plenty for "the same street corner").
func DistanceM(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(min(h, 1)))
}
