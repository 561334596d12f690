// Package duty is the roster of grid workers on duty (当班网格员): whom the
// center calls about a grid. It is loaded from geodata/workers.json and
// read-only afterwards (safe for concurrent use).
//
// Unlike backend/directory, which keeps only a worker's grid id, the roster
// holds personal data (names and mobile numbers): it is read only by the
// duty endpoint (GET /api/v1/grids/{id}/duty), which masks it for roles
// without personal.reveal and audits every unmasked answer.
//
// Today a grid has one full-time worker, so the worker of a grid is the one
// on duty. Shifts (a night roster, stand-ins) would be added here, behind
// OnDuty, without the callers changing.
package duty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// File is the file Load reads from the geodata folder.
const File = "workers.json"

// Worker is a grid worker as the roster knows them.
type Worker struct {
	GridID string `json:"grid_id"` // the grid they cover
	Name   string `json:"name"`    // full name (personal data)
	Phone  string `json:"phone"`   // mobile number (personal data)
}

// Roster is the loaded, validated roster.
type Roster struct {
	byGrid map[string]Worker
}

// OnDuty returns the worker on duty in the grid, and false when the roster
// has nobody for it (an unknown grid, or a district without workers.json).
func (r *Roster) OnDuty(gridID string) (Worker, bool) {
	w, ok := r.byGrid[gridID]
	return w, ok
}

// Grids lists the grids with a worker, sorted (the directory offers each
// as a dispatch target).
func (r *Roster) Grids() []string { return slices.Sorted(maps.Keys(r.byGrid)) }

// Len is the number of grids with a worker.
func (r *Roster) Len() int { return len(r.byGrid) }

// Load reads workers.json from dir and validates it (see Parse). The file is
// optional, as for the directory: without it the roster is empty and every
// grid answers "nobody on record".
func Load(dir string, isGrid func(id string) bool) (*Roster, error) {
	data, err := os.ReadFile(filepath.Join(dir, File))
	if errors.Is(err, fs.ErrNotExist) {
		return &Roster{byGrid: map[string]Worker{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("duty: %w", err)
	}
	r, err := Parse(data, isGrid)
	if err != nil {
		return nil, fmt.Errorf("duty: %s: %w", File, err)
	}
	return r, nil
}

// Limits of one row.
const (
	maxNameRunes = 32
	minPhone     = 5  // a short internal extension
	maxPhone     = 20 // a landline with its area code and extension
)

// Parse validates workers.json (a JSON array of Worker; unknown fields are an
// error) and builds the roster. Rules: grid_id is a grid of the district
// (isGrid) and appears once; name is 1–32 characters; phone is 5–20 of
// 0-9 + - and space, starting with a digit or +.
func Parse(data []byte, isGrid func(id string) bool) (*Roster, error) {
	var rows []Worker
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rows); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the array")
	}
	r := &Roster{byGrid: make(map[string]Worker, len(rows))}
	for i, w := range rows {
		if err := check(w, isGrid); err != nil {
			return nil, fmt.Errorf("row %d (%q): %w", i, w.GridID, err)
		}
		if _, dup := r.byGrid[w.GridID]; dup {
			return nil, fmt.Errorf("row %d: grid %q has a worker already", i, w.GridID)
		}
		r.byGrid[w.GridID] = w
	}
	return r, nil
}

func check(w Worker, isGrid func(string) bool) error {
	if !isGrid(w.GridID) {
		return errors.New("grid_id is not a grid of the district")
	}
	name := strings.TrimSpace(w.Name)
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxNameRunes {
		return fmt.Errorf("name must be 1-%d characters", maxNameRunes)
	}
	if len(w.Phone) < minPhone || len(w.Phone) > maxPhone {
		return fmt.Errorf("phone must be %d-%d characters", minPhone, maxPhone)
	}
	for i := 0; i < len(w.Phone); i++ {
		c := w.Phone[i]
		digit := '0' <= c && c <= '9'
		if i == 0 && !digit && c != '+' || i > 0 && !digit && c != '-' && c != ' ' {
			return errors.New("phone may contain only digits, a leading +, - and spaces")
		}
	}
	return nil
}
