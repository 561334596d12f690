package duty_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/duty"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/testsvc"
)

func isGrid(id string) bool { return strings.HasPrefix(id, "411602001-") }

func TestParse(t *testing.T) {
	tests := []struct {
		name, data, err string
	}{
		{"OK", `[{"grid_id":"411602001-001","name":"段洋秀","phone":"13219453358"},
			{"grid_id":"411602001-002","name":"周冬丹","phone":"+86 394-8123456"}]`, ""},
		{"OKEmpty", `[]`, ""},
		{"ErrUnknownGrid", `[{"grid_id":"411602009-001","name":"段洋秀","phone":"13219453358"}]`, "not a grid"},
		{"ErrDuplicateGrid", `[{"grid_id":"411602001-001","name":"甲","phone":"13219453358"},{"grid_id":"411602001-001","name":"乙","phone":"13219453359"}]`, "has a worker already"},
		{"ErrNoName", `[{"grid_id":"411602001-001","name":"  ","phone":"13219453358"}]`, "name must be"},
		{"ErrLongName", `[{"grid_id":"411602001-001","name":"` + strings.Repeat("名", 33) + `","phone":"13219453358"}]`, "name must be"},
		{"ErrPhoneLetters", `[{"grid_id":"411602001-001","name":"甲","phone":"1321945335x"}]`, "phone may contain"},
		{"ErrPhoneShort", `[{"grid_id":"411602001-001","name":"甲","phone":"123"}]`, "phone must be"},
		{"ErrUnknownField", `[{"grid_id":"411602001-001","name":"甲","phone":"13219453358","id_card":"x"}]`, "unknown field"},
		{"ErrTrailing", `[] []`, "trailing data"},
		{"ErrNotArray", `{}`, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := duty.Parse([]byte(tt.data), isGrid)
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(tt.data, "段洋秀") {
					if w, ok := r.OnDuty("411602001-001"); !ok || w.Name != "段洋秀" || w.Phone != "13219453358" {
						t.Errorf("OnDuty = %+v, %v", w, ok)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.err)
			}
		})
	}
}

// TestLoadGeodata loads the committed workers.json against the committed
// map: one worker per grid.
func TestLoadGeodata(t *testing.T) {
	dir := filepath.Join(testsvc.RepoRoot(t), "geodata")
	d, err := grid.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := duty.Load(dir, func(id string) bool { _, ok := d.Grid(id); return ok })
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != len(d.Grids) {
		t.Errorf("%d workers for %d grids", r.Len(), len(d.Grids))
	}
	if _, ok := r.OnDuty("no-such-grid"); ok {
		t.Error("a worker for an unknown grid")
	}
	grids := r.Grids()
	if len(grids) != r.Len() || !slices.IsSorted(grids) {
		t.Errorf("Grids() has %d ids (sorted: %v), want the %d grids sorted", len(grids), slices.IsSorted(grids), r.Len())
	}
	for _, g := range grids {
		if _, ok := r.OnDuty(g); !ok {
			t.Fatalf("Grids() lists %s, which has nobody on duty", g)
		}
	}
}

func TestLoadWithoutFile(t *testing.T) {
	r, err := duty.Load(t.TempDir(), isGrid)
	if err != nil || r.Len() != 0 {
		t.Fatalf("Load without %s = %v, %v; want an empty roster", duty.File, r, err)
	}
}
