package deploy

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// composeFile is the part of docker-compose.yml the tests look at. Fields
// that compose accepts in two shapes (list or map, string or list) are left
// as any and normalised by the helpers below.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image       string         `yaml:"image"`
	Build       any            `yaml:"build"`
	Command     any            `yaml:"command"`
	Environment any            `yaml:"environment"`
	Volumes     []any          `yaml:"volumes"`
	Ports       []any          `yaml:"ports"`
	DependsOn   any            `yaml:"depends_on"`
	Healthcheck *healthcheck   `yaml:"healthcheck"`
	Ulimits     map[string]any `yaml:"ulimits"`
}

type healthcheck struct {
	Test    any  `yaml:"test"`
	Disable bool `yaml:"disable"`
}

func mustLoadCompose(tb testing.TB) composeFile {
	tb.Helper()
	var cf composeFile
	if err := yaml.Unmarshal(mustReadRootFile(tb, "docker-compose.yml"), &cf); err != nil {
		tb.Fatalf("parse docker-compose.yml: %v", err)
	}
	return cf
}

// mustService returns a service of the compose file or stops the test.
func mustService(tb testing.TB, cf composeFile, name string) composeService {
	tb.Helper()
	s, ok := cf.Services[name]
	if !ok {
		tb.Fatalf("docker-compose.yml has no service %q (has %v)", name, keys(cf.Services))
	}
	return s
}

func TestComposeServices(t *testing.T) {
	cf := mustLoadCompose(t)
	want := []string{"redis", "clickhouse", "gridcc"}
	if got := keys(cf.Services); !slices.Equal(got, []string{"clickhouse", "gridcc", "redis"}) {
		t.Fatalf("services = %v, want exactly %v", got, want)
	}

	t.Run("RedisImage7", func(t *testing.T) {
		if img := mustService(t, cf, "redis").Image; img != "redis:7" && !strings.HasPrefix(img, "redis:7.") {
			t.Errorf("redis image = %q, want redis:7", img)
		}
	})
	t.Run("ClickHousePinnedImage", func(t *testing.T) {
		img := mustService(t, cf, "clickhouse").Image
		name, tag, _ := strings.Cut(img, ":")
		if name != "clickhouse/clickhouse-server" || tag == "" || tag == "latest" {
			t.Errorf("clickhouse image = %q, want clickhouse/clickhouse-server:<LTS version>", img)
		}
	})
	t.Run("GridccBuiltFromDockerfile", func(t *testing.T) {
		ctx, file := buildOf(mustService(t, cf, "gridcc").Build)
		if ctx != "." || file != "Dockerfile" {
			t.Errorf("gridcc build = context %q, dockerfile %q; want . and Dockerfile", ctx, file)
		}
	})
	t.Run("GridccPublishes8080", func(t *testing.T) {
		ports := fmt.Sprint(mustService(t, cf, "gridcc").Ports...)
		if !strings.Contains(ports, "8080:8080") {
			t.Errorf("gridcc ports = %v, want 8080:8080", ports)
		}
	})
}

func TestComposeRedisDurability(t *testing.T) {
	cmd := " " + strings.Join(words(mustService(t, mustLoadCompose(t), "redis").Command), " ") + " "
	for _, want := range []string{" --appendonly yes ", " --appendfsync always "} {
		if !strings.Contains(cmd, want) {
			t.Errorf("redis command %q lacks %q: an acknowledged event must survive a restart", cmd, strings.TrimSpace(want))
		}
	}
}

func TestComposeHealthchecks(t *testing.T) {
	cf := mustLoadCompose(t)
	for _, name := range keys(cf.Services) {
		t.Run(name, func(t *testing.T) {
			hc := cf.Services[name].Healthcheck
			switch {
			case hc == nil:
				t.Fatal("no healthcheck")
			case hc.Disable:
				t.Fatal("healthcheck disabled")
			}
			test := words(hc.Test)
			if len(test) < 2 || (test[0] != "CMD" && test[0] != "CMD-SHELL") {
				t.Errorf("healthcheck test = %q, want [CMD ...] or [CMD-SHELL ...]", test)
			}
		})
	}
}

func TestComposeNamedVolumes(t *testing.T) {
	cf := mustLoadCompose(t)
	for _, name := range []string{"redis", "clickhouse"} {
		t.Run(name, func(t *testing.T) {
			var named []string
			for _, v := range mustService(t, cf, name).Volumes {
				src, _, _ := strings.Cut(fmt.Sprint(v), ":")
				if src == "" || strings.ContainsAny(src[:1], "./~$") {
					continue // a bind mount, not a named volume
				}
				named = append(named, src)
				if _, ok := cf.Volumes[src]; !ok {
					t.Errorf("volume %q is not declared under the top-level volumes", src)
				}
			}
			if len(named) == 0 {
				t.Error("no named volume: data would be lost with the container")
			}
		})
	}
}

func TestComposeGridccEnvironment(t *testing.T) {
	cf := mustLoadCompose(t)
	env := environment(t, mustService(t, cf, "gridcc").Environment)
	want := map[string]string{
		"GRIDCC_ADDR":           "0.0.0.0:8080",
		"GRIDCC_REDIS_URL":      "redis://redis:6379/0",
		"GRIDCC_CLICKHOUSE_URL": "clickhouse://clickhouse:9000/gridcc",
		"GRIDCC_GEODATA":        "/app/geodata",
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("gridcc %s = %q, want %q", k, env[k], v)
		}
	}

	t.Run("URLsNameServices", func(t *testing.T) {
		for _, k := range []string{"GRIDCC_REDIS_URL", "GRIDCC_CLICKHOUSE_URL"} {
			u, err := url.Parse(env[k])
			if err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			if _, ok := cf.Services[u.Hostname()]; !ok {
				t.Errorf("%s points at host %q, which is no service", k, u.Hostname())
			}
		}
	})
	t.Run("ClickHouseCreatesTheDatabase", func(t *testing.T) {
		u, err := url.Parse(env["GRIDCC_CLICKHOUSE_URL"])
		if err != nil {
			t.Fatal(err)
		}
		db := strings.TrimPrefix(u.Path, "/")
		if got := environment(t, mustService(t, cf, "clickhouse").Environment)["CLICKHOUSE_DB"]; got != db {
			t.Errorf("clickhouse CLICKHOUSE_DB = %q, want %q (the database of GRIDCC_CLICKHOUSE_URL)", got, db)
		}
	})
}

func TestComposeDependsOnHealthy(t *testing.T) {
	cf := mustLoadCompose(t)
	deps, ok := cf.Services["gridcc"].DependsOn.(map[string]any)
	if !ok {
		t.Fatalf("gridcc depends_on = %#v, want a map with conditions", cf.Services["gridcc"].DependsOn)
	}
	for _, name := range []string{"redis", "clickhouse"} {
		dep, _ := deps[name].(map[string]any)
		if got := fmt.Sprint(dep["condition"]); got != "service_healthy" {
			t.Errorf("gridcc depends_on %s: condition = %q, want service_healthy", name, got)
		}
	}
	for name, s := range cf.Services {
		if name == "gridcc" {
			continue // checked above
		}
		m, _ := s.DependsOn.(map[string]any)
		for dep, v := range m {
			cond, _ := v.(map[string]any)
			if got := fmt.Sprint(cond["condition"]); got != "service_healthy" {
				t.Errorf("%s depends_on %s: condition = %q, want service_healthy", name, dep, got)
			}
		}
	}
}

func TestComposeClickHouseUlimits(t *testing.T) {
	if _, ok := mustService(t, mustLoadCompose(t), "clickhouse").Ulimits["nofile"]; !ok {
		t.Error("clickhouse has no ulimits.nofile (ClickHouse opens many files)")
	}
}

// ---- helpers for compose's two-shaped fields ---------------------------------

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// words turns a command or healthcheck test (a string or a list) into words.
func words(v any) []string {
	switch v := v.(type) {
	case string:
		return strings.Fields(v)
	case []any:
		out := make([]string, len(v))
		for i, w := range v {
			out[i] = fmt.Sprint(w)
		}
		return out
	}
	return nil
}

// environment turns a service's environment (a map or a list of K=V) into a map.
func environment(tb testing.TB, v any) map[string]string {
	tb.Helper()
	out := map[string]string{}
	switch v := v.(type) {
	case nil:
	case map[string]any:
		for k, val := range v {
			out[k] = fmt.Sprint(val)
		}
	case []any:
		for _, kv := range v {
			k, val, _ := strings.Cut(fmt.Sprint(kv), "=")
			out[k] = val
		}
	default:
		tb.Fatalf("environment has unexpected shape %T", v)
	}
	return out
}

// buildOf returns a build's context and Dockerfile (a string is the context).
func buildOf(v any) (context, dockerfile string) {
	switch v := v.(type) {
	case string:
		return v, "Dockerfile"
	case map[string]any:
		context, dockerfile = fmt.Sprint(v["context"]), "Dockerfile"
		if f, ok := v["dockerfile"]; ok {
			dockerfile = fmt.Sprint(f)
		}
	}
	return context, dockerfile
}
