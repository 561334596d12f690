package grid_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/grid"
)

// TestParse_Invalid runs every case of testdata/invalid: each replaces one
// file of testdata/ok by a copy with one defect, which must be reported
// with its file, feature index, id and Problem.
func TestParse_Invalid(t *testing.T) {
	for _, tc := range []struct {
		dir     string // under testdata/invalid
		file    string
		feature int
		id      string
		problem grid.Problem
	}{
		{"syntax", grid.FileGrids, -1, "", grid.ProblemSyntax},
		{"not_collection", grid.FileDistrict, -1, "", grid.ProblemSyntax},
		{"bad_feature", grid.FileGrids, 2, "", grid.ProblemSyntax},
		{"district_count", grid.FileDistrict, -1, "", grid.ProblemFeatureCount},
		{"empty_grids", grid.FileGrids, -1, "", grid.ProblemFeatureCount},
		{"geometry_type", grid.FileGrids, 5, "G06", grid.ProblemGeometryType},
		{"no_geometry", grid.FileStreets, 1, "411602001", grid.ProblemGeometryType},
		{"bad_coordinate", grid.FileGrids, 5, "G06", grid.ProblemBadCoordinate},
		{"short_ring", grid.FileGrids, 5, "G06", grid.ProblemShortRing},
		{"unclosed_ring", grid.FileGrids, 5, "G06", grid.ProblemUnclosedRing},
		{"repeated_point", grid.FileGrids, 5, "G06", grid.ProblemRepeatedPoint},
		{"bow_tie", grid.FileGrids, 5, "G06", grid.ProblemSelfIntersection},
		{"spike", grid.FileGrids, 5, "G06", grid.ProblemSelfIntersection},
		{"rings_cross", grid.FileGrids, 1, "G01", grid.ProblemRingsCross},
		{"hole_outside", grid.FileGrids, 5, "G06", grid.ProblemHoleOutside},
		{"parts_overlap", grid.FileGrids, 3, "G04", grid.ProblemPartsOverlap},
		{"missing_id", grid.FileGrids, 5, "", grid.ProblemMissingID},
		{"duplicate_id", grid.FileGrids, 5, "G05", grid.ProblemDuplicateID},
		{"missing_name", grid.FileCommunities, 2, "C3", grid.ProblemMissingProperty},
		{"non_string", grid.FileGrids, 5, "G06", grid.ProblemBadProperty},
		{"bad_timezone", grid.FileDistrict, 0, "411699", grid.ProblemBadProperty},
		{"bad_area", grid.FileGrids, 5, "G06", grid.ProblemBadProperty},
		{"unknown_type", grid.FileGrids, 5, "G06", grid.ProblemUnknownType},
		{"unknown_kind", grid.FileCommunities, 2, "C3", grid.ProblemUnknownKind},
		{"unknown_community", grid.FileGrids, 5, "G06", grid.ProblemUnknownRef},
		{"unknown_street", grid.FileCommunities, 2, "C3", grid.ProblemUnknownRef},
		{"community_name_mismatch", grid.FileGrids, 5, "G06", grid.ProblemNameMismatch},
		{"street_name_mismatch", grid.FileCommunities, 2, "C3", grid.ProblemNameMismatch},
		{"street_mismatch", grid.FileGrids, 5, "G06", grid.ProblemStreetMismatch},
		{"outside_street", grid.FileGrids, 0, "G03", grid.ProblemOutsideStreet},
		{"outside_community", grid.FileGrids, 0, "G03", grid.ProblemOutsideCommunity},
		{"outside_district", grid.FileGrids, 0, "G03", grid.ProblemOutsideDistrict},
		{"grids_overlap", grid.FileGrids, 1, "G01", grid.ProblemGridsOverlap},
		{"coverage", grid.FileGrids, -1, "", grid.ProblemCoverage},
		{"camera_outside_grid", grid.FileCameras, 1, "CAM1", grid.ProblemOutsideGrid},
		{"camera_unknown_grid", grid.FileCameras, 0, "CAM2", grid.ProblemUnknownRef},
		{"camera_not_point", grid.FileCameras, 0, "CAM2", grid.ProblemGeometryType},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			d, err := grid.Parse(overlay(t, "testdata/invalid/"+tc.dir))
			if d != nil || err == nil {
				t.Fatalf("Parse = %v, %v; want an error", d, err)
			}
			var ves *grid.ValidationErrors
			if !errors.As(err, &ves) {
				t.Fatalf("err is %T, want *ValidationErrors: %v", err, err)
			}
			for _, p := range ves.Problems {
				if p.File == tc.file && p.Feature == tc.feature && p.ID == tc.id && p.Problem == tc.problem {
					return
				}
			}
			t.Errorf("want %s feature %d (id %q): %s; got\n%v", tc.file, tc.feature, tc.id, tc.problem, err)
		})
	}
}

func TestValidationError_Error(t *testing.T) {
	e := &grid.ValidationError{File: grid.FileGrids, Feature: 3, ID: "G-004", Problem: grid.ProblemUnclosedRing, Detail: "polygon 0 ring 1"}
	if got, want := e.Error(), `grids.geojson: feature 3 (id "G-004"): unclosed ring: polygon 0 ring 1`; got != want {
		t.Errorf("Error() = %s, want %s", got, want)
	}
	whole := &grid.ValidationError{File: grid.FileGrids, Feature: -1, Problem: grid.ProblemSyntax}
	if got := whole.Error(); !strings.HasPrefix(got, "grids.geojson: malformed GeoJSON") {
		t.Errorf("Error() = %s", got)
	}
}
