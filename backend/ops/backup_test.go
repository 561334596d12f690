package ops

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// TestBackupAndRestore is the operator's drill, on servers of its own:
//
//  1. a deployment with a year of seeded history and 30 live events in
//     street 1 (the figures every stats endpoint answers are recorded);
//  2. scripts/backup.sh while gridcc runs and live events keep coming in
//     street 2;
//  3. scripts/restore.sh into an empty Redis and an empty ClickHouse
//     database (another name), and gridcc started on them;
//  4. every stats endpoint answers the recorded figures byte for byte, and
//     today's count equals the events in the restored live state: each
//     event that made it into the snapshot is in the history exactly once,
//     none from after it;
//  5. a second restore into the now full servers is refused.
func TestBackupAndRestore(t *testing.T) {
	root := testsvc.RepoRoot(t)
	district, err := grid.Load(filepath.Join(root, "geodata"))
	if err != nil {
		t.Fatal(err)
	}
	zone, err := time.LoadLocation(district.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	street1, street2 := district.Streets[0].Code, district.Streets[1].Code
	p1, p2 := labelIn(t, district, street1), labelIn(t, district, street2)

	srcRedis := testsvc.StartRedis(t)
	// The snapshot is sent like a full resync: without this, Redis waits
	// repl-diskless-sync-delay (5 s) for more replicas first.
	srcClient := redisClient(t, srcRedis.URL)
	if err := srcClient.ConfigSet(testsvc.Context(t), "repl-diskless-sync-delay", "0").Err(); err != nil {
		t.Fatal(err)
	}
	src := deployment{redisURL: srcRedis.URL, prefix: testsvc.RandomName("ops-") + ":",
		clickhouseURL: testsvc.ClickHouseDatabase(t), authFile: filepath.Join(t.TempDir(), "auth.json")}
	f := auth.NewFile(src.authFile)
	wallToken, err := f.AddToken("wall", "wall", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	ingestToken, err := f.AddToken("hotline", "ingest:hotline12345", 10000, 10000)
	if err != nil {
		t.Fatal(err)
	}

	// 1. A year of history, then live events in street 1.
	seed := execIn(t, root, testsvc.Binary(t, "gridseed"), src.env("GRIDCC_GEODATA="+filepath.Join(root, "geodata")),
		"--years", "1", "--events", "2000", "--quiet")
	t.Logf("gridseed: %s", strings.TrimSpace(seed))
	a := src.start(t)
	const live1 = 30
	for i := range live1 {
		if st := post(a.URL+"/api/v1/events", ingestToken, hotline(fmt.Sprintf("before-%d", i), p1[0], p1[1])); st != http.StatusAccepted {
			t.Fatalf("event %d: status %d", i, st)
		}
	}
	today := history.DateOf(time.Now(), zone)
	todayURL := fmt.Sprintf("/api/v1/stats/summary?from=%s&to=%s", today, today)
	waitFor(t, 30*time.Second, "the live events in the history", func() bool {
		return reported(t, a.URL+todayURL, wallToken) == live1
	})
	queries := statsQueries(today, street1)
	before := answers(t, a.URL, wallToken, queries)

	// 2. The backup, while events keep coming in street 2.
	stop := make(chan struct{})
	var acked atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if post(a.URL+"/api/v1/events", ingestToken, hotline(fmt.Sprintf("during-%d", i), p2[0], p2[1])) == http.StatusAccepted {
				acked.Add(1)
			}
		}
	})
	dir := filepath.Join(t.TempDir(), "backup")
	start := time.Now()
	out, ok := src.script(t, "backup.sh", "--out", dir)
	close(stop)
	wg.Wait()
	if !ok {
		t.Fatalf("backup.sh failed:\n%s", out)
	}
	t.Logf("backup.sh took %s while %d events were acknowledged in street 2:\n%s", time.Since(start).Round(time.Millisecond), acked.Load(), out)
	manifest, err := os.ReadFile(filepath.Join(dir, "MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"seq_cut\t", "data\tclickhouse/data/change_log/", "data\tclickhouse/data/events/",
		"rebuilt\tkpi_daily\tkpi_daily_mv", "data\tredis/dump.rdb", "data\tauth/auth.json"} {
		if !bytes.Contains(manifest, []byte(want)) {
			t.Errorf("MANIFEST lacks %q:\n%s", want, manifest)
		}
	}
	if after := answers(t, a.URL, wallToken, queries); !equalAnswers(t, "the original after the backup", before, after) {
		t.Fatal("events in street 2 changed figures of street 1 or of past days: the comparison below would prove nothing")
	}
	a.stop()

	// 3. Restore into empty servers; the database has another name.
	dst := deployment{redisURL: testsvc.StartRedis(t).URL, prefix: src.prefix,
		clickhouseURL: testsvc.ClickHouseDatabase(t), authFile: filepath.Join(t.TempDir(), "restored", "auth.json")}
	start = time.Now()
	out, ok = dst.script(t, "restore.sh", dir)
	if !ok {
		t.Fatalf("restore.sh failed:\n%s", out)
	}
	t.Logf("restore.sh took %s:\n%s", time.Since(start).Round(time.Millisecond), out)
	// 3650 days of retention drops nothing here but shows the job runs.
	b := dst.start(t, "GRIDCC_HISTORY_RETENTION_DAYS=3650", "GRIDCC_AUDIT_RETENTION_DAYS=3650")

	// 4. Every live event of the snapshot is in the history once: the
	// history writer wrote again what ClickHouse lacked at the cut.
	dstClient := redisClient(t, dst.redisURL)
	keys := redisbus.NewKeys(dst.prefix)
	open, err := dstClient.ZCard(testsvc.Context(t), keys.Open).Result()
	if err != nil {
		t.Fatal(err)
	}
	if open < live1 || open > live1+acked.Load()+1 {
		t.Fatalf("the restored live state holds %d open events; %d were acknowledged before the backup and %d during it", open, live1, acked.Load())
	}
	waitFor(t, 30*time.Second, fmt.Sprintf("today's count on the restored server to reach the %d events of its live state", open), func() bool {
		return reported(t, b.URL+todayURL, wallToken) >= open
	})
	time.Sleep(time.Second) // anything written twice would show by now
	if n := reported(t, b.URL+todayURL, wallToken); n != open {
		t.Fatalf("today's count on the restored server is %d, its live state holds %d events", n, open)
	}
	if restored := answers(t, b.URL, wallToken, queries); !equalAnswers(t, "the restored server", before, restored) {
		t.Fatal("the restored server answers other figures")
	}
	srcEpoch, _ := srcClient.Get(testsvc.Context(t), redisbus.NewKeys(src.prefix).Epoch).Result()
	if dstEpoch, _ := dstClient.Get(testsvc.Context(t), keys.Epoch).Result(); dstEpoch == "" || dstEpoch == srcEpoch {
		t.Errorf("the restored log's epoch is %q (the original's %q): screens would not resync", dstEpoch, srcEpoch)
	}
	waitFor(t, 10*time.Second, "a retention run on the restored server", func() bool {
		_, m := get(b.URL+"/metrics", "")
		return bytes.Contains(m, []byte(`gridcc_retention_runs_total{outcome="ok"} 1`))
	})

	// 5. The servers are not empty any more.
	b.stop()
	if out, ok := dst.script(t, "restore.sh", dir); ok || !strings.Contains(out, "not empty") {
		t.Errorf("a restore into full servers: ok=%v, want a refusal naming them:\n%s", ok, out)
	}
}

// labelIn returns the label point of the first grid of street.
func labelIn(t *testing.T, d *grid.District, street string) [2]float64 {
	t.Helper()
	for _, g := range d.Grids {
		if g.StreetCode == street {
			return [2]float64{g.Label[0], g.Label[1]}
		}
	}
	t.Fatalf("street %s has no grid", street)
	return [2]float64{}
}

// statsQueries covers every stats endpoint: over past days (the seeded
// history), and including today for street1 (the live events).
func statsQueries(today history.Date, street1 string) []string {
	y := today.AddDays(-1)
	year, quarter := y.AddDays(-364), y.AddDays(-89)
	return []string{
		fmt.Sprintf("/api/v1/stats/summary?from=%s&to=%s", year, y),
		fmt.Sprintf("/api/v1/stats/summary?from=%s&to=%s&kind=hotline", y.AddDays(-6), y),
		fmt.Sprintf("/api/v1/stats/trend?from=%s&to=%s&split=street", year, y),
		fmt.Sprintf("/api/v1/stats/trend?from=%s&to=%s&granularity=day&split=kind", quarter, y),
		fmt.Sprintf("/api/v1/stats/hotspots?from=%s&to=%s&level=grid&top=20", year, y),
		fmt.Sprintf("/api/v1/stats/hotspots?from=%s&to=%s&level=street", year, y),
		fmt.Sprintf("/api/v1/stats/recurring?from=%s&to=%s", quarter, y),
		fmt.Sprintf("/api/v1/stats/recurring?from=%s&to=%s&at=grid&times=2", year, y),
		fmt.Sprintf("/api/v1/stats/heatmap?from=%s&to=%s", year, y),
		"/api/v1/stats/summary?street=" + street1,
		fmt.Sprintf("/api/v1/stats/trend?from=%s&to=%s&granularity=day&street=%s", today.AddDays(-30), today, street1),
		"/api/v1/stats/hotspots?street=" + street1,
		"/api/v1/stats/recurring?street=" + street1,
		// The risk part is every grid's risk now, whatever the filter
		// (docs/history.md): answers compares the cells of street1's grids.
		"/api/v1/stats/heatmap?risk=true&street=" + street1,
	}
}

// answers returns the body of every query, each of which must answer 200;
// of a heat map with risk, only the cells of the filter's street.
func answers(t *testing.T, base, token string, queries []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, q := range queries {
		st, body := get(base+q, token)
		if st != http.StatusOK {
			t.Fatalf("GET %s: %d %s", q, st, body)
		}
		if u, _ := url.Parse(q); u.Query().Get("risk") == "true" {
			body = cellsOf(t, body, u.Query().Get("street"))
		}
		out[q] = string(body)
	}
	return out
}

// cellsOf keeps the cells of a heat map whose grid is in street (grid ids
// start with their street's code).
func cellsOf(t *testing.T, body []byte, street string) []byte {
	t.Helper()
	var h struct {
		Cells []json.RawMessage `json:"cells"`
	}
	if err := json.Unmarshal(body, &h); err != nil {
		t.Fatal(err)
	}
	var kept []json.RawMessage
	for _, c := range h.Cells {
		var cell struct {
			GridID string `json:"grid_id"`
		}
		if err := json.Unmarshal(c, &cell); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(cell.GridID, street+"-") {
			kept = append(kept, c)
		}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// equalAnswers reports (and logs) every query answered differently.
func equalAnswers(t *testing.T, who string, want, got map[string]string) bool {
	t.Helper()
	same := true
	for q, w := range want {
		if got[q] != w {
			same = false
			t.Errorf("%s answers %s differently:\n got %.600s\nwant %.600s", who, q, got[q], w)
		}
	}
	return same
}

func redisClient(t *testing.T, url string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	opts.DisableIdentity = true
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}
