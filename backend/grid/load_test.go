package grid_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/grid"
)

// MustLoad loads a geodata folder or fails the test.
func MustLoad(tb testing.TB, dir string) *grid.District {
	tb.Helper()
	d, err := grid.Load(dir)
	if err != nil {
		tb.Fatalf("Load(%s): %v", dir, err)
	}
	return d
}

// overlay returns the files of testdata/ok with those present in dir
// (a testdata/invalid case) in their place.
func overlay(tb testing.TB, dir string) grid.Files {
	tb.Helper()
	read := func(name string) io.Reader {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			data, err = os.ReadFile(filepath.Join("testdata/ok", name))
		}
		if err != nil {
			tb.Fatal(err)
		}
		return bytes.NewReader(data)
	}
	return grid.Files{
		District:    read(grid.FileDistrict),
		Streets:     read(grid.FileStreets),
		Communities: read(grid.FileCommunities),
		Grids:       read(grid.FileGrids),
		Cameras:     read(grid.FileCameras),
	}
}

func TestLoad(t *testing.T) {
	d := MustLoad(t, "testdata/ok")

	if d.Name != "测试区" || d.Code != "411699" || d.City != "测试市" || d.TimeZone != "Asia/Shanghai" {
		t.Errorf("district = %q %q %q %q", d.Name, d.Code, d.City, d.TimeZone)
	}
	var ids []string
	for _, g := range d.Grids {
		ids = append(ids, g.ID)
	}
	if got := strings.Join(ids, ","); got != "G01,G02,G03,G04,G05,G06" {
		t.Errorf("grids in order %s, want sorted by id", got)
	}
	if len(d.Streets) != 2 || d.Streets[0].Code != "411602001" || len(d.Communities) != 3 || len(d.Cameras) != 2 || d.Cameras[0].ID != "CAM1" {
		t.Errorf("streets %d, communities %d, cameras %d: want 2, 3, 2 sorted", len(d.Streets), len(d.Communities), len(d.Cameras))
	}

	g, ok := d.Grid("G01")
	if !ok || g.Name != "西南网格" || g.Type != grid.TypeUrban || g.CommunityID != "C1" || g.StreetCode != "411602001" {
		t.Fatalf("Grid(G01) = %+v, %v", g, ok)
	}
	if g.AreaKm2 != 4.1 {
		t.Errorf("G01 AreaKm2 = %v, want the area_km2 property 4.1", g.AreaKm2)
	}
	if len(g.Geometry) != 1 || len(g.Geometry[0]) != 2 {
		t.Errorf("G01 geometry: %d parts, want 1 polygon with a hole", len(g.Geometry))
	}
	if !g.Contains(g.Label) {
		t.Errorf("G01 label %v is not inside G01 (whose centroid is in its hole)", g.Label)
	}
	if g3, _ := d.Grid("G03"); g3.AreaKm2 < 2.0 || g3.AreaKm2 > 2.1 {
		t.Errorf("G03 AreaKm2 = %v, want computed ≈ 2.06 (0.02° × 0.01° at 33.6°N)", g3.AreaKm2)
	}
	if _, ok := d.Grid("G99"); ok {
		t.Error("Grid(G99) found")
	}
	if c, ok := d.Community("C3"); !ok || c.Kind != grid.KindVillage || c.StreetCode != "411602002" {
		t.Errorf("Community(C3) = %+v, %v", c, ok)
	}
	if s, ok := d.Street("411602002"); !ok || s.Name != "东街道" {
		t.Errorf("Street(411602002) = %+v, %v", s, ok)
	}
	if c, ok := d.Camera("CAM2"); !ok || c.GridID != "G06" {
		t.Errorf("Camera(CAM2) = %+v, %v", c, ok)
	}

	for name, want := range map[string]int{grid.LayerBoundary: 1, grid.LayerStreets: 2, grid.LayerCommunities: 3, grid.LayerGrids: 6, grid.LayerCameras: 2} {
		if l := d.Layer(name); l == nil || len(l.Features) != want {
			t.Errorf("Layer(%s) = %v, want %d features", name, l, want)
		}
	}
	if d.Layer("workers") != nil {
		t.Error("Layer(workers) is not nil")
	}
	if v := d.Layer(grid.LayerGrids).Features[0].Properties["synthetic"]; v != true {
		t.Errorf("property synthetic = %v, want kept as true", v)
	}
}

func TestLoad_Errors(t *testing.T) {
	t.Run("ErrNotExist", func(t *testing.T) {
		_, err := grid.Load(t.TempDir())
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want fs.ErrNotExist", err)
		}
	})
	t.Run("OKWithoutCameras", func(t *testing.T) {
		dir := t.TempDir()
		for _, name := range []string{grid.FileDistrict, grid.FileStreets, grid.FileCommunities, grid.FileGrids} {
			data, err := os.ReadFile(filepath.Join("testdata/ok", name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		d := MustLoad(t, dir)
		if len(d.Cameras) != 0 || d.Layer(grid.LayerCameras) == nil {
			t.Errorf("cameras %d, layer %v: want none and an empty layer", len(d.Cameras), d.Layer(grid.LayerCameras))
		}
	})
	t.Run("ValidationErrorsWrapped", func(t *testing.T) {
		dir := t.TempDir()
		for _, name := range []string{grid.FileDistrict, grid.FileStreets, grid.FileCommunities, grid.FileGrids} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("{}"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		_, err := grid.Load(dir)
		var ves *grid.ValidationErrors
		if !errors.As(err, &ves) || len(ves.Problems) != 4 || !strings.Contains(err.Error(), dir) {
			t.Errorf("err = %v, want 4 problems, naming %s", err, dir)
		}
		var ve *grid.ValidationError
		if !errors.As(err, &ve) || ve.File != grid.FileDistrict || ve.Problem != grid.ProblemSyntax {
			t.Errorf("first problem = %v, want %s: %s", ve, grid.FileDistrict, grid.ProblemSyntax)
		}
	})
}

func TestParse_MaxProblems(t *testing.T) {
	f := overlay(t, "testdata/ok")
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range grid.MaxProblems + 5 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"type":"Feature","properties":{"name":"x","type":"urban","community_id":"C1","community_name":"西社区","street_code":"411602001","street_name":"西街道"},` +
			`"geometry":{"type":"Polygon","coordinates":[[[114.6,33.6],[114.62,33.6],[114.62,33.62],[114.6,33.6]]]}}`)
	}
	b.WriteString("]}")
	f.Grids = strings.NewReader(b.String())

	_, err := grid.Parse(f)
	var ves *grid.ValidationErrors
	if !errors.As(err, &ves) {
		t.Fatalf("err = %v, want *ValidationErrors", err)
	}
	if len(ves.Problems) != grid.MaxProblems || ves.Omitted != 5 {
		t.Errorf("%d problems, %d omitted; want %d and 5", len(ves.Problems), ves.Omitted, grid.MaxProblems)
	}
	if !strings.Contains(err.Error(), "and 5 more") {
		t.Errorf("message does not count the omitted problems:\n%v", err)
	}
}
