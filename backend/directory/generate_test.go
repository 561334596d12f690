package directory_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/duty"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// update rewrites geodata/directory.json from the geodata:
// go test ./backend/directory -run TestDirectoryFile -update
var update = flag.Bool("update", false, "rewrite geodata/directory.json")

// districtDepartments serve the whole district (their names follow the usual
// 川汇区 / 周口市 naming; the ids are gridcc's own). The on-scene minutes are
// the default deadline of a whistle: police and fire come fastest.
var districtDepartments = []directory.Entry{
	{ID: "zhzx", Name: "川汇区社会治理中心", OnSceneMinutes: 30},
	{ID: directory.DutyLeader, Name: "川汇区社会治理中心带班领导", OnSceneMinutes: 30},
	{ID: "sfj", Name: "川汇区司法局", OnSceneMinutes: 60},
	{ID: "tjzx", Name: "川汇区矛盾纠纷多元化解中心", OnSceneMinutes: 60},
	{ID: "gafj", Name: "周口市公安局川汇分局", OnSceneMinutes: 15},
	{ID: "jjdd", Name: "周口市公安局交通管理支队川汇大队", OnSceneMinutes: 20},
	{ID: "cgzf", Name: "川汇区城市管理综合执法大队", OnSceneMinutes: 30},
	{ID: "zjj", Name: "川汇区住房和城乡建设局", OnSceneMinutes: 60},
	{ID: "sthj", Name: "周口市生态环境局川汇分局", OnSceneMinutes: 60},
	{ID: "yjj", Name: "川汇区应急管理局", OnSceneMinutes: 30},
	{ID: "xfjy", Name: "川汇区消防救援大队", OnSceneMinutes: 10},
	{ID: "scjg", Name: "川汇区市场监督管理局", OnSceneMinutes: 60},
	{ID: "rsj", Name: "川汇区人力资源和社会保障局", OnSceneMinutes: 120},
	{ID: "xfj", Name: "川汇区信访局", OnSceneMinutes: 120},
	{ID: "mzj", Name: "川汇区民政局", OnSceneMinutes: 120},
	{ID: "wjw", Name: "川汇区卫生健康委员会", OnSceneMinutes: 60},
	{ID: "jyj", Name: "川汇区教育体育局", OnSceneMinutes: 120},
	{ID: "gdgs", Name: "国网周口供电公司川汇供电服务中心", OnSceneMinutes: 45},
	{ID: "rqgs", Name: "周口市燃气公司川汇抢修中心", OnSceneMinutes: 20},
	{ID: "swgs", Name: "周口市水务公司川汇服务站", OnSceneMinutes: 45},
}

// streetDepartments exist once per street: its governance center (which
// blows the whistle and receives escalations), judicial office, police
// station, city-management squad and community health service center.
var streetDepartments = []struct {
	suffix, name string
	minutes      int
}{
	{"zzzx", "综治中心", 15},
	{"sfs", "司法所", 30},
	{"pcs", "派出所", 10},
	{"cgzd", "城管执法中队", 20},
	{"wsfw", "社区卫生服务中心", 15},
}

// teamKinds name a community's volunteer teams in order: every community
// has the first two, the largest ones a third.
var teamKinds = []string{"党员先锋志愿服务队", "邻里守望志愿服务队", "平安巡逻志愿服务队"}

// volunteerTeams is DOMAIN.md's count of volunteer teams in the district.
const volunteerTeams = 246

// generate builds directory.json's entries from the district map.
func generate(d *grid.District) []directory.Entry {
	var out []directory.Entry
	for _, e := range districtDepartments {
		e.Kind = directory.Department
		out = append(out, e)
	}
	for _, s := range d.Streets {
		for _, sd := range streetDepartments {
			out = append(out, directory.Entry{ID: s.Code + "-" + sd.suffix, Name: s.Name + sd.name,
				Kind: directory.Department, Street: s.Code, OnSceneMinutes: sd.minutes})
		}
	}
	return append(out, teams(d)...)
}

// teams spreads volunteerTeams over the communities: two each, and one
// more for the communities with the most grids (ties by id), so the count
// is exact and the same map always gives the same teams.
func teams(d *grid.District) []directory.Entry {
	grids := map[string]int{}
	for _, g := range d.Grids {
		grids[g.CommunityID]++
	}
	byGrids := slices.Clone(d.Communities)
	slices.SortStableFunc(byGrids, func(a, b *grid.Community) int {
		return cmp.Or(cmp.Compare(grids[b.ID], grids[a.ID]), cmp.Compare(a.ID, b.ID))
	})
	per := map[string]int{}
	for _, c := range d.Communities {
		per[c.ID] = volunteerTeams / len(d.Communities)
	}
	for _, c := range byGrids[:volunteerTeams%len(d.Communities)] {
		per[c.ID]++
	}
	var out []directory.Entry
	for _, c := range d.Communities {
		for i := range per[c.ID] {
			out = append(out, directory.Entry{ID: fmt.Sprintf("vt-%s-%d", c.ID, i+1),
				Name: c.Name + teamKinds[i%len(teamKinds)], Kind: directory.VolunteerTeam,
				Street: c.StreetCode, Community: c.ID})
		}
	}
	return out
}

// encode writes one entry per line, so diffs stay small.
func encode(entries []directory.Entry) []byte {
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, e := range entries {
		line, _ := json.Marshal(e)
		buf.Write(line)
		if i < len(entries)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	return buf.Bytes()
}

// TestDirectoryFile checks that the committed directory.json is what the
// generator makes from the committed geodata, and that it loads.
func TestDirectoryFile(t *testing.T) {
	dir := filepath.Join(testsvc.RepoRoot(t), "geodata")
	d, err := grid.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := encode(generate(d))
	path := filepath.Join(dir, directory.FileDirectory)
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the generator makes; run go test ./backend/directory -run TestDirectoryFile -update", path)
	}
	roster, err := duty.Load(dir, func(id string) bool { _, ok := d.Grid(id); return ok })
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := directory.Load(dir, roster.Grids(), streetCodes(d))
	if err != nil {
		t.Fatal(err)
	}
	var teams, depts int
	for _, e := range loaded.List() {
		switch e.Kind {
		case directory.VolunteerTeam:
			teams++
		case directory.Department:
			depts++
		}
	}
	if teams != volunteerTeams || depts != len(districtDepartments)+len(d.Streets)*len(streetDepartments) {
		t.Errorf("teams = %d, departments = %d", teams, depts)
	}
	if w, ok := loaded.Lookup(d.Grids[0].ID); !ok || w.Kind != directory.GridWorker || w.Street != d.Grids[0].StreetCode {
		t.Errorf("grid worker of %s = %+v, %v", d.Grids[0].ID, w, ok)
	}
}

func streetCodes(d *grid.District) []string {
	out := make([]string, len(d.Streets))
	for i, s := range d.Streets {
		out[i] = s.Code
	}
	return out
}
