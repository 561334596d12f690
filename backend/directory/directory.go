// Package directory is the district's who-is-who for the case workflow: the
// departments (区司法局, 各街道派出所 …) and volunteer teams an event can be
// dispatched to or summoned by a whistle (吹哨报到), and the grid workers,
// one per grid. It is loaded from geodata/directory.json and the grids of
// the duty roster (backend/duty reads geodata/workers.json), validated once,
// and read-only afterwards (safe for concurrent use). It keeps no personal
// data: of a grid worker it keeps only the grid id.
package directory

import "slices"

// Kind is what a directory entry is.
type Kind string

// The kinds. Departments and volunteer teams come from directory.json, grid
// workers from workers.json.
const (
	Department    Kind = "department"     // a government department, office or utility
	VolunteerTeam Kind = "volunteer_team" // a community volunteer team (志愿服务队)
	GridWorker    Kind = "grid_worker"    // the full-time worker of one grid (网格员); id = grid_id
)

// DutyLeader is the id of the district social governance center's duty
// leader (带班领导), to whom unacknowledged critical alerts escalate.
const DutyLeader = "zhzx-duty"

// StreetCenter returns the id of a street's governance center (街道综治中心),
// the street's own desk: it blows whistles and receives escalations.
func StreetCenter(street string) string { return street + "-zzzx" }

// Entry is one department, volunteer team or grid worker.
type Entry struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Street is the street code the entry serves; empty for district-wide
	// departments. Dispatches and whistles stay within it.
	Street string `json:"street,omitempty"`
	// Community is a volunteer team's community id.
	Community string `json:"community,omitempty"`
	// OnSceneMinutes is a department's default on-scene deadline when a
	// whistle summons it without an explicit one; 0 for teams and workers.
	OnSceneMinutes int `json:"on_scene_minutes,omitempty"`
}

// Serves reports whether the entry may act in the given street.
func (e Entry) Serves(street string) bool { return e.Street == "" || e.Street == street }

// Directory is the loaded, validated directory.
type Directory struct {
	listed []Entry          // departments and volunteer teams, in file order
	byID   map[string]Entry // every entry, grid workers included
}

// Lookup returns the entry with the given id.
func (d *Directory) Lookup(id string) (Entry, bool) {
	e, ok := d.byID[id]
	return e, ok
}

// List returns the departments and volunteer teams (never grid workers, who
// are people), in file order. The slice is a copy.
func (d *Directory) List() []Entry { return slices.Clone(d.listed) }
