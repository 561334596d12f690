package main

import (
	"errors"
	"hash/fnv"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/duty"
	"github.com/gridcc/gridcc/backend/grid"
)

// Who handles a case, as ids of geodata/directory.json: district-wide
// departments by their id, a street's own offices as "@<suffix>" (the
// directory names them <street_code>-<suffix>: zzzx governance center, sfs
// judicial office, pcs police station, cgzd city-management squad, wsfw
// community health center).
var (
	// dispatchTo is the department a case of each category is sent to (派单).
	dispatchTo = map[string]string{
		"dispute": "@sfs", "public_safety": "@pcs", "environment": "sthj", "city_management": "@cgzd",
		"safety_hazard": "yjj", "livelihood": "mzj", "public_service": "swgs", "housing": "zjj", "labor": "rsj",
		"traffic": "jjdd", "consultation": "@zzzx", "other": "@zzzx",
	}
	// whistleTo are the departments a street summons for each category
	// (吹哨报到), the first always, one or two of the others.
	whistleTo = map[string][]string{
		"dispute":         {"@sfs", "@pcs", "tjzx", "@wsfw"},
		"public_safety":   {"@pcs", "gafj", "@zzzx"},
		"safety_hazard":   {"xfjy", "yjj", "rqgs", "@cgzd"},
		"environment":     {"sthj", "@cgzd"},
		"city_management": {"@cgzd", "cgzf", "scjg"},
		"housing":         {"zjj", "@sfs"},
		"labor":           {"rsj", "@sfs", "xfj"},
		"livelihood":      {"mzj", "wjw"},
		"public_service":  {"swgs", "gdgs"},
		"traffic":         {"jjdd", "@pcs"},
	}
	defaultWhistle = []string{"@pcs", "@sfs"}
)

// defaultOnScene is a summoned department's deadline when the directory
// does not give one (the workflow's own default).
const defaultOnScene = 30 * time.Minute

// handlers resolves the ids for a street and knows each department's
// on-scene deadline from the directory, when the geodata has one.
type handlers struct {
	dir *directory.Directory // nil: every deadline is defaultOnScene
}

func resolve(id, street string) string {
	if suffix, ok := strings.CutPrefix(id, "@"); ok {
		return street + "-" + suffix
	}
	return id
}

// dispatch returns the department a case of category in street is sent to.
func (h handlers) dispatch(category, street string) string {
	id, ok := dispatchTo[category]
	if !ok {
		id = "@zzzx"
	}
	return resolve(id, street)
}

// whistle picks the departments a whistle summons: the category's first
// and one or two of the others.
func (h handlers) whistle(r *rand.Rand, category, street string) []string {
	list, ok := whistleTo[category]
	if !ok {
		list = defaultWhistle
	}
	out := []string{resolve(list[0], street)}
	rest := slices.Clone(list[1:])
	r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	for _, id := range rest[:min(len(rest), 1+r.IntN(2))] {
		out = append(out, resolve(id, street))
	}
	return out
}

// loadHandlers reads the directory beside the district's geodata; without
// one (test geodata) the ids are still the directory's pattern and every
// deadline is the default.
func loadHandlers(geodata string, d *grid.District) (handlers, error) {
	if _, err := os.Stat(filepath.Join(geodata, directory.FileDirectory)); errors.Is(err, fs.ErrNotExist) {
		return handlers{}, nil
	}
	streets := make([]string, len(d.Streets))
	for i, s := range d.Streets {
		streets[i] = s.Code
	}
	roster, err := duty.Load(geodata, func(id string) bool { _, ok := d.Grid(id); return ok })
	if err != nil {
		return handlers{}, err
	}
	dir, err := directory.Load(geodata, roster.Grids(), streets)
	if err != nil {
		return handlers{}, err
	}
	return handlers{dir: dir}, nil
}

// onScene is a department's check-in deadline.
func (h handlers) onScene(id string) time.Duration {
	if h.dir != nil {
		if e, ok := h.dir.Lookup(id); ok && e.OnSceneMinutes > 0 {
			return time.Duration(e.OnSceneMinutes) * time.Minute
		}
	}
	return defaultOnScene
}

// punctuality is the share of its deadline a department usually needs to
// be on scene, 0.35–0.95, fixed per department: some are reliably quick,
// some often late, which is what the review's check-in table is for.
func punctuality(id string) float64 {
	// The street suffix decides for street offices, so the same office of
	// every street behaves alike.
	if i := strings.LastIndexByte(id, '-'); i >= 0 {
		id = id[i+1:]
	}
	f := fnv.New32a()
	f.Write([]byte(id))
	return 0.35 + 0.6*float64(f.Sum32()%1000)/1000
}
