package geogen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// mustGenerate runs the generator on the committed inputs.
func mustGenerate(tb testing.TB, seed int64) []File {
	tb.Helper()
	root, err := repoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(root, "geodata", "source", name))
		if err != nil {
			tb.Fatal(err)
		}
		return data
	}
	outline, err := ParseOutline(read("chuanhui_411602_datav_wgs84.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	streets, err := ParseStreets(read("chuanhui_411602_subdistricts.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	ds, err := Generate(Input{Outline: outline, Streets: streets}, DefaultConfig(seed), nil)
	if err != nil {
		tb.Fatalf("generate with seed %d: %v", seed, err)
	}
	files, err := Encode(ds)
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

// TestGenerateMatchesCommitted regenerates with the default seed and compares
// every file byte for byte with the committed one.
func TestGenerateMatchesCommitted(t *testing.T) {
	d := mustCommitted(t)
	files := mustGenerate(t, DefaultSeed)
	if len(files) != len(d.raw) {
		t.Fatalf("generated %d files, committed %d", len(files), len(d.raw))
	}
	for _, f := range files {
		if !bytes.Equal(f.Data, d.raw[f.Name]) {
			t.Errorf("%s differs from the committed file: run go run ./backend/cmd/geogen", f.Name)
		}
	}
}

// TestGenerateOtherSeed checks that another seed also passes the generator's
// own checks (the tiling, every ring) and makes different grids.
func TestGenerateOtherSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("a second full run; the committed seed is covered by TestGenerateMatchesCommitted")
	}
	d := mustCommitted(t)
	for _, f := range mustGenerate(t, 7) {
		if f.Name == "grids.geojson" && bytes.Equal(f.Data, d.raw[f.Name]) {
			t.Errorf("seed 7 made the same grids as seed %d", DefaultSeed)
		}
	}
}
