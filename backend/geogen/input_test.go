package geogen

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestParseOutline(t *testing.T) {
	const ring = `[[[0,0],[1,0],[1,1],[0,0]]]`
	tests := []struct {
		name, geometry string
		ok             bool
	}{
		{"Polygon", `{"type":"Polygon","coordinates":` + ring + `}`, true},
		{"MultiPolygonOfOne", `{"type":"MultiPolygon","coordinates":[` + ring + `]}`, true},
		{"ErrTwoParts", `{"type":"MultiPolygon","coordinates":[` + ring + `,` + ring + `]}`, false},
		{"ErrHole", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.5,0.2],[0.6,0.3],[0.5,0.3],[0.5,0.2]]]}`, false},
		{"ErrPoint", `{"type":"Point","coordinates":[0,0]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":` + tt.geometry + `}]}`
			r, err := ParseOutline([]byte(data))
			if (err == nil) != tt.ok {
				t.Fatalf("ParseOutline: %v, want ok %v", err, tt.ok)
			}
			if tt.ok && len(r) != 4 {
				t.Errorf("ring has %d positions, want 4", len(r))
			}
		})
	}
}

func TestParseStreets(t *testing.T) {
	tests := []struct {
		name, csv string
		want      []StreetSpec
	}{
		{"OK", "name,type,nbs2023_code\n七一路街道,街道,411602002\n城南街道,街道,411602006\n",
			[]StreetSpec{{"411602002", "七一路街道"}, {"411602006", "城南街道"}}},
		{"ErrNoCodeColumn", "name,code\n七一路街道,411602002\n", nil},
		{"ErrRepeated", "name,nbs2023_code\nA,1\nB,1\n", nil},
		{"ErrEmpty", "name,nbs2023_code\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStreets([]byte(tt.csv))
			if (err == nil) != (tt.want != nil) {
				t.Fatalf("ParseStreets: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("row %d: %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestAppendGeometry(t *testing.T) {
	tests := []struct {
		name string
		g    orb.Geometry
		want string
	}{
		{"Point", orb.Point{114.646768, 33.6}, `{"type":"Point","coordinates":[114.646768,33.6]}`},
		{"Polygon", orb.Polygon{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}},
			`{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1],[0,0]]]}`},
		{"MultiPolygon", orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}, {{{2, 2}, {3, 2}, {2, 3}, {2, 2}}}},
			`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[0,1],[0,0]]],[[[2,2],[3,2],[2,3],[2,2]]]]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendGeometry(nil, tt.g)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestEncodeOneFeaturePerLine(t *testing.T) {
	files, err := Encode(&Dataset{District: District{Outline: orb.Polygon{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		lines := strings.Split(strings.TrimSuffix(string(f.Data), "\n"), "\n")
		if f.Name == "district.geojson" && len(lines) != 3 {
			t.Errorf("district.geojson has %d lines, want header, one feature, footer", len(lines))
		}
	}
}
