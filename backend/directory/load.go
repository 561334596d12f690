package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// FileDirectory is the file Load reads: departments and volunteer teams.
// Grid workers come from workers.json, which backend/duty reads (with their
// personal data); the directory gets their grid ids from there.
const FileDirectory = "directory.json"

// Limits of one entry.
const (
	maxIDBytes        = 64
	maxNameRunes      = 100
	maxOnSceneMinutes = 24 * 60
)

// Load reads directory.json from dir and validates it, with the grids that
// have a worker on the duty roster (duty.Roster.Grids), against the
// district's street codes (see Parse).
func Load(dir string, workerGrids, streets []string) (*Directory, error) {
	data, err := os.ReadFile(filepath.Join(dir, FileDirectory))
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	return Parse(data, workerGrids, streets)
}

// Parse validates directory.json (a JSON array of Entry, departments and
// volunteer teams only) and builds the directory with a grid worker for each
// of workerGrids (the name and phone stay with the duty roster). Rules: ids are 1–64 characters of A-Z a-z 0-9 . _ : - and unique
// across both files; names 1–100 characters; a street is one of streets (or
// empty, district-wide, for departments); a volunteer team names its street
// and a community of that street; only departments have on_scene_minutes
// (0–1440); the duty leader and every street's governance center exist; a
// worker's grid id starts with a known street code. The first broken rule
// is returned, naming the file and the entry.
func Parse(data []byte, workerGrids, streets []string) (*Directory, error) {
	known := map[string]bool{}
	for _, s := range streets {
		known[s] = true
	}
	var entries []Entry
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("directory: %s: %w", FileDirectory, err)
	}
	d := &Directory{listed: entries, byID: make(map[string]Entry, len(entries))}
	for i, e := range entries {
		err := d.add(e, known)
		if err == nil && e.Kind == GridWorker {
			err = errors.New("grid workers come from workers.json, not from " + FileDirectory)
		}
		if err != nil {
			return nil, fmt.Errorf("directory: %s entry %d (%q): %w", FileDirectory, i, e.ID, err)
		}
	}
	for _, g := range workerGrids {
		street, _, _ := strings.Cut(g, "-")
		e := Entry{ID: g, Name: g + " 网格员", Kind: GridWorker, Street: street}
		if err := d.add(e, known); err != nil {
			return nil, fmt.Errorf("directory: the worker of grid %q: %w", g, err)
		}
	}
	for _, id := range append([]string{DutyLeader}, centers(streets)...) {
		if _, ok := d.byID[id]; !ok {
			return nil, fmt.Errorf("directory: %s has no entry %q (escalations go there)", FileDirectory, id)
		}
	}
	return d, nil
}

func centers(streets []string) []string {
	out := make([]string, len(streets))
	for i, s := range streets {
		out[i] = StreetCenter(s)
	}
	return out
}

// add checks one entry and indexes it.
func (d *Directory) add(e Entry, streets map[string]bool) error {
	if err := checkID(e.ID); err != nil {
		return err
	}
	if _, dup := d.byID[e.ID]; dup {
		return fmt.Errorf("id %q is used twice", e.ID)
	}
	switch n := utf8.RuneCountInString(e.Name); {
	case !utf8.ValidString(e.Name) || strings.TrimSpace(e.Name) == "":
		return errors.New("name is required")
	case n > maxNameRunes:
		return fmt.Errorf("name must be at most %d characters", maxNameRunes)
	}
	if e.Street != "" && !streets[e.Street] {
		return fmt.Errorf("street %q is not a street of the district", e.Street)
	}
	switch e.Kind {
	case Department:
		if e.Community != "" {
			return errors.New("a department has no community")
		}
		if e.OnSceneMinutes < 0 || e.OnSceneMinutes > maxOnSceneMinutes {
			return fmt.Errorf("on_scene_minutes must be 0-%d", maxOnSceneMinutes)
		}
	case VolunteerTeam, GridWorker:
		if e.Street == "" {
			return fmt.Errorf("a %s needs its street", e.Kind)
		}
		if e.Kind == VolunteerTeam && !strings.HasPrefix(e.Community, e.Street+"-") {
			return fmt.Errorf("community %q is not a community of street %s", e.Community, e.Street)
		}
		if e.OnSceneMinutes != 0 {
			return errors.New("only departments have on_scene_minutes")
		}
	default:
		return fmt.Errorf("kind %q must be department or volunteer_team", e.Kind)
	}
	d.byID[e.ID] = e
	return nil
}

func checkID(id string) error {
	if id == "" || len(id) > maxIDBytes {
		return fmt.Errorf("id must be 1-%d characters", maxIDBytes)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return fmt.Errorf("id may contain only A-Z a-z 0-9 . _ : - (character %d is not)", i+1)
		}
	}
	return nil
}
