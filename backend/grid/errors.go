package grid

import (
	"fmt"
	"strings"

	"github.com/gridcc/gridcc/backend/apperr"
)

// ErrOutsideDistrict is returned by Locate and LocateBruteForce for a valid
// WGS84 point that lies in no grid, i.e. outside the district (the validator
// makes sure the grids tile the district). Test for it with errors.Is; its
// apperr code is apperr.OutsideDistrict.
var ErrOutsideDistrict = apperr.New(apperr.OutsideDistrict, "the point is outside the district")

// ErrInvalidPoint is wrapped by the error Locate and LocateBruteForce return
// for a point with a NaN or infinite coordinate, a longitude outside
// [-180, 180] or a latitude outside [-90, 90]. Test for it with errors.Is;
// its apperr code is apperr.Invalid.
var ErrInvalidPoint = apperr.Field(apperr.Invalid, "point",
	"coordinates must be a finite WGS84 [longitude, latitude]")

// MaxProblems bounds how many problems one Load or Parse reports; the rest
// are only counted (ValidationErrors.Omitted).
const MaxProblems = 20

// Problem names one kind of defect in a geodata file, so callers and tests
// can branch on it; ValidationError.Detail says where and why.
type Problem string

// The problems the validator reports.
const (
	ProblemRead             Problem = "unreadable file"
	ProblemSyntax           Problem = "malformed GeoJSON"
	ProblemFeatureCount     Problem = "wrong number of features"
	ProblemGeometryType     Problem = "wrong geometry type"
	ProblemBadCoordinate    Problem = "coordinate not finite or outside WGS84 range"
	ProblemShortRing        Problem = "ring with fewer than 4 points"
	ProblemUnclosedRing     Problem = "unclosed ring"
	ProblemRepeatedPoint    Problem = "repeated consecutive point"
	ProblemSelfIntersection Problem = "self-intersecting ring"
	ProblemRingsCross       Problem = "rings of a polygon cross or touch"
	ProblemHoleOutside      Problem = "hole outside its shell or inside another hole"
	ProblemPartsOverlap     Problem = "parts of a multipolygon overlap"
	ProblemNoInterior       Problem = "polygon without interior"
	ProblemMissingID        Problem = "missing id"
	ProblemDuplicateID      Problem = "duplicate id"
	ProblemMissingProperty  Problem = "missing property"
	ProblemBadProperty      Problem = "bad property value"
	ProblemUnknownType      Problem = "unknown grid type"
	ProblemUnknownKind      Problem = "unknown community kind"
	ProblemUnknownRef       Problem = "reference to an unknown feature"
	ProblemNameMismatch     Problem = "name differs from the referenced feature"
	ProblemStreetMismatch   Problem = "street differs from its community's street"
	ProblemOutsideDistrict  Problem = "outside the district"
	ProblemOutsideStreet    Problem = "grid outside its street"
	ProblemOutsideCommunity Problem = "grid outside its community"
	ProblemGridsOverlap     Problem = "grids overlap"
	ProblemCoverage         Problem = "grids do not cover the district"
	ProblemOutsideGrid      Problem = "camera outside its grid"
)

// ValidationError is one problem found in one geodata file.
type ValidationError struct {
	File    string  // the file's name, e.g. "grids.geojson"
	Feature int     // index of the feature in the file's features array; -1 for the whole file
	ID      string  // the feature's id property (grid_id, street_code, …); "" if missing or for the whole file
	Problem Problem // the kind of defect
	Detail  string  // where and why, e.g. "polygon 0 ring 1: first point [114.6 33.6] != last [114.7 33.6]"
}

// Error implements error, e.g. `grids.geojson: feature 3 (id "G-004"):
// unclosed ring: polygon 0 ring 0: …`.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Feature >= 0 {
		fmt.Fprintf(&b, ": feature %d", e.Feature)
		if e.ID != "" {
			fmt.Fprintf(&b, " (id %q)", e.ID)
		}
	}
	b.WriteString(": ")
	b.WriteString(string(e.Problem))
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// ValidationErrors is the error Parse returns for invalid geodata: the first
// MaxProblems problems in file order (district, streets, communities, grids,
// cameras), then the checks across files. errors.As with a
// *ValidationError finds the first problem.
type ValidationErrors struct {
	Problems []*ValidationError // at most MaxProblems, never empty
	Omitted  int                // problems found beyond MaxProblems
}

// Error implements error: one line per problem.
func (e *ValidationErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "grid: invalid geodata: %d problem(s)", len(e.Problems)+e.Omitted)
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "\n\t… and %d more", e.Omitted)
	}
	return b.String()
}

// Unwrap returns the problems, for errors.As and errors.Is.
func (e *ValidationErrors) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// problems collects validation errors up to MaxProblems.
type problems struct {
	list    []*ValidationError
	omitted int
}

func (ps *problems) add(file string, feature int, id string, p Problem, format string, args ...any) {
	if len(ps.list) >= MaxProblems {
		ps.omitted++
		return
	}
	ps.list = append(ps.list, &ValidationError{File: file, Feature: feature, ID: id, Problem: p, Detail: fmt.Sprintf(format, args...)})
}

func (ps *problems) any() bool { return len(ps.list) > 0 }

// err returns the collected problems as *ValidationErrors, or nil.
func (ps *problems) err() error {
	if !ps.any() {
		return nil
	}
	return &ValidationErrors{Problems: ps.list, Omitted: ps.omitted}
}
