package geogen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
)

// File is one output file: a name inside the geodata directory and its bytes.
type File struct {
	Name string
	Data []byte
}

// The property sets, one struct each so the key order is fixed.
type (
	districtProps struct {
		Name      string `json:"name"`
		Code      string `json:"code"`
		City      string `json:"city"`
		Timezone  string `json:"timezone"`
		Synthetic bool   `json:"synthetic"`
		Source    string `json:"source"`
	}
	streetProps struct {
		StreetCode string `json:"street_code"`
		Name       string `json:"name"`
		Synthetic  bool   `json:"synthetic"`
		GridCount  int    `json:"grid_count"`
	}
	communityProps struct {
		CommunityID string        `json:"community_id"`
		Name        string        `json:"name"`
		Kind        CommunityKind `json:"kind"`
		StreetCode  string        `json:"street_code"`
		StreetName  string        `json:"street_name"`
		Synthetic   bool          `json:"synthetic"`
	}
	gridProps struct {
		GridID        string   `json:"grid_id"`
		Name          string   `json:"name"`
		Type          GridType `json:"type"`
		CommunityID   string   `json:"community_id"`
		CommunityName string   `json:"community_name"`
		StreetCode    string   `json:"street_code"`
		StreetName    string   `json:"street_name"`
		AreaKm2       float64  `json:"area_km2"`
		Synthetic     bool     `json:"synthetic"`
	}
	cameraProps struct {
		CameraID   string `json:"camera_id"`
		Name       string `json:"name"`
		GridID     string `json:"grid_id"`
		StreetCode string `json:"street_code"`
		Synthetic  bool   `json:"synthetic"`
	}
	workerRow struct {
		GridID string `json:"grid_id"`
		Name   string `json:"name"`
		Phone  string `json:"phone"`
	}
)

// Encode renders the dataset as the files of the geodata directory, in the
// format its README documents: compact JSON, one feature per line, fixed key
// order, coordinates as rounded.
func Encode(ds *Dataset) ([]File, error) {
	var files []File
	add := func(name string, n int, item func(i int) (any, orb.Geometry)) error {
		var buf bytes.Buffer
		buf.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
		for i := 0; i < n; i++ {
			props, geom := item(i)
			p, err := marshal(props)
			if err != nil {
				return fmt.Errorf("encode %s: %w", name, err)
			}
			buf.WriteString(`{"type":"Feature","properties":`)
			buf.Write(p)
			buf.WriteString(`,"geometry":`)
			buf.Write(appendGeometry(nil, geom))
			buf.WriteString("}")
			if i+1 < n {
				buf.WriteString(",")
			}
			buf.WriteString("\n")
		}
		buf.WriteString("]}\n")
		files = append(files, File{Name: name, Data: buf.Bytes()})
		return nil
	}
	d := ds.District
	steps := []error{
		add("district.geojson", 1, func(int) (any, orb.Geometry) {
			return districtProps{d.Name, d.Code, d.City, d.Timezone, false, d.Source}, d.Outline
		}),
		add("streets.geojson", len(ds.Streets), func(i int) (any, orb.Geometry) {
			s := ds.Streets[i]
			return streetProps{s.Code, s.Name, true, s.GridCount}, s.Geometry
		}),
		add("communities.geojson", len(ds.Communities), func(i int) (any, orb.Geometry) {
			c := ds.Communities[i]
			return communityProps{c.ID, c.Name, c.Kind, c.StreetCode, c.StreetName, true}, c.Geometry
		}),
		add("grids.geojson", len(ds.Grids), func(i int) (any, orb.Geometry) {
			g := ds.Grids[i]
			return gridProps{g.ID, g.Name, g.Type, g.CommunityID, g.CommunityName, g.StreetCode, g.StreetName, g.AreaKm2, true}, g.Geometry
		}),
		add("cameras.geojson", len(ds.Cameras), func(i int) (any, orb.Geometry) {
			c := ds.Cameras[i]
			return cameraProps{c.ID, c.Name, c.GridID, c.StreetCode, true}, c.Location
		}),
	}
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, w := range ds.Workers {
		p, err := marshal(workerRow(w))
		if err != nil {
			return nil, fmt.Errorf("encode workers.json: %w", err)
		}
		buf.Write(p)
		if i+1 < len(ds.Workers) {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
	}
	buf.WriteString("]\n")
	return append(files, File{Name: "workers.json", Data: buf.Bytes()}), nil
}

// marshal encodes compactly without escaping <, > and &.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// appendGeometry writes a Point, Polygon or MultiPolygon as GeoJSON, each
// coordinate in its shortest form (they are already rounded to 1e-6°).
func appendGeometry(b []byte, g orb.Geometry) []byte {
	switch g := g.(type) {
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":`...)
		b = appendPoint(b, g)
	case orb.Polygon:
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b = appendPolygon(b, g)
	case orb.MultiPolygon:
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPolygon(b, p)
		}
		b = append(b, ']')
	default:
		return append(b, "null"...)
	}
	return append(b, '}')
}

func appendPolygon(b []byte, p orb.Polygon) []byte {
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, pt := range r {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendPoint(b, pt)
		}
		b = append(b, ']')
	}
	return append(b, ']')
}

func appendPoint(b []byte, p orb.Point) []byte {
	b = append(b, '[')
	b = strconv.AppendFloat(b, p[0], 'f', -1, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, p[1], 'f', -1, 64)
	return append(b, ']')
}
