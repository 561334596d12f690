package directory_test

import (
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/directory"
)

func TestParse(t *testing.T) {
	const base = `{"id":"zhzx-duty","name":"带班领导","kind":"department"},{"id":"411602001-zzzx","name":"综治中心","kind":"department","street":"411602001"}`
	streets := []string{"411602001"}
	tests := []struct {
		name, dir, workers, wantErr string // workers: grid ids, comma-separated
	}{
		{"OK", `[` + base + `,{"id":"vt-411602001-C01-1","name":"队","kind":"volunteer_team","street":"411602001","community":"411602001-C01"}]`,
			"411602001-001", ""},
		{"OK_noWorkers", `[` + base + `]`, "", ""},
		{"ErrNotArray", `{}`, "", "cannot unmarshal"},
		{"ErrUnknownField", `[` + base + `,{"id":"x","name":"x","kind":"department","phone":"1"}]`, "", "unknown field"},
		{"ErrDuplicateID", `[` + base + `,{"id":"zhzx-duty","name":"x","kind":"department"}]`, "", "used twice"},
		{"ErrBadID", `[` + base + `,{"id":"a b","name":"x","kind":"department"}]`, "", "id may contain"},
		{"ErrNoName", `[` + base + `,{"id":"x","name":" ","kind":"department"}]`, "", "name is required"},
		{"ErrUnknownStreet", `[` + base + `,{"id":"x","name":"x","kind":"department","street":"999"}]`, "", "not a street"},
		{"ErrBadKind", `[` + base + `,{"id":"x","name":"x","kind":"person"}]`, "", "kind"},
		{"ErrWorkerInDirectory", `[` + base + `,{"id":"x","name":"x","kind":"grid_worker","street":"411602001"}]`, "", "come from workers.json"},
		{"ErrTeamWithoutStreet", `[` + base + `,{"id":"x","name":"x","kind":"volunteer_team"}]`, "", "needs its street"},
		{"ErrTeamOtherCommunity", `[` + base + `,{"id":"x","name":"x","kind":"volunteer_team","street":"411602001","community":"411602002-C01"}]`, "", "not a community"},
		{"ErrTeamOnScene", `[` + base + `,{"id":"x","name":"x","kind":"volunteer_team","street":"411602001","community":"411602001-C01","on_scene_minutes":5}]`, "", "only departments"},
		{"ErrOnSceneRange", `[` + base + `,{"id":"x","name":"x","kind":"department","on_scene_minutes":5000}]`, "", "on_scene_minutes"},
		{"ErrNoDutyLeader", `[{"id":"411602001-zzzx","name":"x","kind":"department"}]`, "", `"zhzx-duty"`},
		{"ErrNoStreetCenter", `[{"id":"zhzx-duty","name":"x","kind":"department"}]`, "", `"411602001-zzzx"`},
		{"ErrWorkerUnknownStreet", `[` + base + `]`, "999-001", `the worker of grid "999-001"`},
		{"ErrWorkerClashesWithEntry", `[` + base + `]`, "411602001-zzzx", "used twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var workers []string
			if tt.workers != "" {
				workers = strings.Split(tt.workers, ",")
			}
			d, err := directory.Parse([]byte(tt.dir), workers, streets)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(d.List()) == 0 {
					t.Fatal("empty list")
				}
				for _, e := range d.List() {
					if e.Kind == directory.GridWorker {
						t.Error("List lists a grid worker")
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestServes(t *testing.T) {
	for _, tt := range []struct {
		entry  directory.Entry
		street string
		want   bool
	}{
		{directory.Entry{}, "411602001", true},
		{directory.Entry{Street: "411602001"}, "411602001", true},
		{directory.Entry{Street: "411602001"}, "411602002", false},
	} {
		if got := tt.entry.Serves(tt.street); got != tt.want {
			t.Errorf("%+v.Serves(%s) = %v", tt.entry, tt.street, got)
		}
	}
}
