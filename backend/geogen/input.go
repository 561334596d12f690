package geogen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// ParseOutline reads the district boundary: a GeoJSON FeatureCollection
// whose first feature is a Polygon, or a MultiPolygon of one polygon, without
// holes. It returns the exterior ring in lon/lat.
func ParseOutline(data []byte) (orb.Ring, error) {
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("parse outline: %w", err)
	}
	if len(fc.Features) == 0 {
		return nil, fmt.Errorf("parse outline: no features")
	}
	var poly orb.Polygon
	switch g := fc.Features[0].Geometry.(type) {
	case orb.Polygon:
		poly = g
	case orb.MultiPolygon:
		if len(g) != 1 {
			return nil, fmt.Errorf("parse outline: %d parts; one is supported", len(g))
		}
		poly = g[0]
	default:
		return nil, fmt.Errorf("parse outline: geometry is %T, want a polygon", g)
	}
	if len(poly) != 1 {
		return nil, fmt.Errorf("parse outline: %d rings; holes are not supported", len(poly))
	}
	return poly[0], nil
}

// ParseStreets reads the street table: a CSV with a header row, of which the
// columns name and nbs2023_code are used.
func ParseStreets(data []byte) ([]StreetSpec, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("parse streets: %w", err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("parse streets: no rows")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	ni, okN := col["name"]
	ci, okC := col["nbs2023_code"]
	if !okN || !okC {
		return nil, fmt.Errorf("parse streets: need columns name and nbs2023_code")
	}
	var out []StreetSpec
	seen := map[string]bool{}
	for i, r := range rows[1:] {
		s := StreetSpec{Code: strings.TrimSpace(r[ci]), Name: strings.TrimSpace(r[ni])}
		if s.Code == "" || s.Name == "" || seen[s.Code] {
			return nil, fmt.Errorf("parse streets: row %d: empty or repeated code %q", i+2, s.Code)
		}
		seen[s.Code] = true
		out = append(out, s)
	}
	return out, nil
}
