package grid

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/paulmach/orb/geojson"
)

// The file names Load reads from its folder; errors name files by these.
const (
	FileDistrict    = "district.geojson"
	FileStreets     = "streets.geojson"
	FileCommunities = "communities.geojson"
	FileGrids       = "grids.geojson"
	FileCameras     = "cameras.geojson" // optional
)

// MaxFileBytes bounds the size of one geodata file; a larger file is a
// ProblemRead, so a wrong path cannot make Load read without end.
const MaxFileBytes = 64 << 20

// Files holds the contents of the geodata files for Parse.
type Files struct {
	District    io.Reader // district.geojson
	Streets     io.Reader // streets.geojson
	Communities io.Reader // communities.geojson
	Grids       io.Reader // grids.geojson
	Cameras     io.Reader // cameras.geojson; nil: no cameras
}

// Load reads district.geojson, streets.geojson, communities.geojson,
// grids.geojson and, if present, cameras.geojson from dir and returns the
// validated district (see Parse). A missing required file is an error
// wrapping fs.ErrNotExist; invalid contents are a *ValidationErrors.
func Load(dir string) (*District, error) {
	var files Files
	for _, f := range []struct {
		name     string
		dst      *io.Reader
		optional bool
	}{
		{FileDistrict, &files.District, false},
		{FileStreets, &files.Streets, false},
		{FileCommunities, &files.Communities, false},
		{FileGrids, &files.Grids, false},
		{FileCameras, &files.Cameras, true},
	} {
		data, err := os.ReadFile(filepath.Join(dir, f.name))
		if f.optional && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("grid: load %s: %w", dir, err)
		}
		*f.dst = bytes.NewReader(data)
	}
	d, err := Parse(files)
	if err != nil {
		return nil, fmt.Errorf("grid: load %s: %w", dir, err)
	}
	return d, nil
}

// Parse decodes and validates the geodata files and builds the district
// and its locator. All of them are read before anything is checked, and
// problems are collected (up to MaxProblems) rather than stopping at the
// first. An invalid input returns a *ValidationErrors whose problems name
// the file, the feature (index and id) and the Problem.
//
// What is checked, per file: the file is a FeatureCollection of Features,
// district.geojson has exactly one; geometries are valid (checkPolygonal:
// type, coordinates, ring length, closure, repeated points,
// self-intersection, holes; cameras are valid Points); ids are present and
// unique; required properties are non-empty strings; type and kind are
// known; timezone, if present, is a loadable IANA zone; area_km2, if
// present, is a positive number.
//
// Across files: every reference (community → street, grid → community and
// street, camera → grid) resolves; the street_name and community_name
// copies equal the referenced names, and a grid's street is its
// community's; each grid's Label lies inside its street, its community and
// the district, and in no other grid; grid areas sum to the district's
// area within CoverageTolerance (so the grids tile it, up to that
// tolerance); every camera is located (by Locate) in its own grid.
func Parse(files Files) (*District, error) {
	layers := map[string]*geojson.FeatureCollection{}
	p := &parser{d: &District{layers: layers}}
	for _, f := range []struct {
		layer, file string
		r           io.Reader
	}{
		{LayerBoundary, FileDistrict, files.District},
		{LayerStreets, FileStreets, files.Streets},
		{LayerCommunities, FileCommunities, files.Communities},
		{LayerGrids, FileGrids, files.Grids},
		{LayerCameras, FileCameras, files.Cameras},
	} {
		if f.r == nil && f.layer == LayerCameras {
			layers[f.layer] = geojson.NewFeatureCollection()
			continue
		}
		if fc := decode(&p.ps, f.file, f.r); fc != nil {
			layers[f.layer] = fc
		}
	}
	if p.ps.any() {
		return nil, p.ps.err()
	}
	p.readDistrict(layers[LayerBoundary])
	p.readStreets(layers[LayerStreets])
	p.readCommunities(layers[LayerCommunities])
	p.readGrids(layers[LayerGrids])
	p.readCameras(layers[LayerCameras])
	if p.ps.any() {
		return nil, p.ps.err()
	}
	p.d.index = newIndex(p.d.Grids)
	p.checkAcross()
	if p.ps.any() {
		return nil, p.ps.err()
	}
	return p.d, nil
}

// decode reads one file as a FeatureCollection; for a malformed one it
// reports the first malformed feature by index if it can.
func decode(ps *problems, file string, r io.Reader) *geojson.FeatureCollection {
	if r == nil {
		ps.add(file, -1, "", ProblemRead, "no reader given")
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		ps.add(file, -1, "", ProblemRead, "%v", err)
		return nil
	}
	if len(data) > MaxFileBytes {
		ps.add(file, -1, "", ProblemRead, "larger than %d bytes", MaxFileBytes)
		return nil
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err == nil {
		for _, f := range fc.Features {
			if f.Properties == nil {
				f.Properties = geojson.Properties{}
			}
		}
		return fc
	}
	// Decode again feature by feature to say which one is malformed.
	var raw struct {
		Features []json.RawMessage `json:"features"`
	}
	if json.Unmarshal(data, &raw) != nil || len(raw.Features) == 0 {
		ps.add(file, -1, "", ProblemSyntax, "%v", err)
		return nil
	}
	for i, msg := range raw.Features {
		if _, ferr := geojson.UnmarshalFeature(msg); ferr != nil {
			ps.add(file, i, "", ProblemSyntax, "%v", ferr)
			return nil
		}
	}
	ps.add(file, -1, "", ProblemSyntax, "%v", err)
	return nil
}
