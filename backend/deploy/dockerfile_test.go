package deploy

import (
	"strings"
	"testing"
)

// stage is one FROM section of the Dockerfile.
type stage struct {
	base, name string
	lines      []string // instructions after FROM, continuations joined, comments dropped
}

// parseDockerfile splits the Dockerfile into stages. It understands what our
// Dockerfile uses: comments, backslash continuations, FROM [--platform=..] image [AS name].
func parseDockerfile(tb testing.TB) []stage {
	tb.Helper()
	var stages []stage
	var pending string
	for _, raw := range strings.Split(string(mustReadRootFile(tb, "Dockerfile")), "\n") {
		line := strings.TrimSpace(raw)
		if pending == "" && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			pending += cont + " "
			continue
		}
		line, pending = strings.TrimSpace(pending+line), ""
		fields := strings.Fields(line)
		if strings.EqualFold(fields[0], "FROM") {
			args := fields[1:]
			for len(args) > 0 && strings.HasPrefix(args[0], "--") {
				args = args[1:]
			}
			if len(args) == 0 {
				tb.Fatalf("Dockerfile: FROM without an image: %q", line)
			}
			st := stage{base: args[0]}
			if len(args) == 3 && strings.EqualFold(args[1], "AS") {
				st.name = args[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			tb.Fatalf("Dockerfile: instruction before the first FROM: %q", line)
		}
		stages[len(stages)-1].lines = append(stages[len(stages)-1].lines, line)
	}
	if len(stages) == 0 {
		tb.Fatal("Dockerfile has no FROM")
	}
	return stages
}

// instructions returns the arguments of every instruction named op in the stage.
func (s stage) instructions(op string) []string {
	var out []string
	for _, l := range s.lines {
		verb, rest, _ := strings.Cut(l, " ")
		if strings.EqualFold(verb, op) {
			out = append(out, strings.TrimSpace(rest))
		}
	}
	return out
}

func TestDockerfileStages(t *testing.T) {
	stages := parseDockerfile(t)
	byName := map[string]stage{}
	for _, s := range stages {
		byName[s.name] = s
	}
	tests := []struct {
		name, basePrefix string
	}{
		{"web", "node:20"},
		{"build", "golang:1.26"},
		{"runtime", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := byName[tt.name]
			if !ok {
				t.Fatalf("no stage named %q", tt.name)
			}
			if !strings.HasPrefix(s.base, tt.basePrefix) {
				t.Errorf("stage %s is FROM %q, want %s*", tt.name, s.base, tt.basePrefix)
			}
		})
	}
	if last := stages[len(stages)-1]; last.name != "runtime" {
		t.Errorf("final stage is %q, want runtime", last.name)
	}

	t.Run("BuildIsStatic", func(t *testing.T) {
		if !strings.Contains(strings.Join(byName["build"].lines, "\n"), "CGO_ENABLED=0") {
			t.Error("build stage does not set CGO_ENABLED=0")
		}
		if !strings.Contains(strings.Join(byName["build"].instructions("RUN"), "\n"), "./backend/cmd/gridcc") {
			t.Error("build stage does not build ./backend/cmd/gridcc")
		}
	})
}

func TestDockerfileRuntime(t *testing.T) {
	stages := parseDockerfile(t)
	final := stages[len(stages)-1]

	t.Run("NonRoot", func(t *testing.T) {
		users := final.instructions("USER")
		if len(users) == 0 {
			t.Fatal("final stage has no USER: the container would run as root")
		}
		user, _, _ := strings.Cut(users[len(users)-1], ":")
		if user == "root" || user == "0" || user == "" {
			t.Errorf("final stage runs as %q", users[len(users)-1])
		}
	})
	t.Run("Expose8080", func(t *testing.T) {
		if !strings.Contains(" "+strings.Join(final.instructions("EXPOSE"), " ")+" ", " 8080 ") {
			t.Error("final stage does not EXPOSE 8080")
		}
	})
	t.Run("Healthcheck", func(t *testing.T) {
		hc := final.instructions("HEALTHCHECK")
		if len(hc) == 0 || !strings.Contains(hc[len(hc)-1], "/healthz") {
			t.Errorf("final stage HEALTHCHECK = %q, want one that asks /healthz", hc)
		}
	})
	t.Run("ShipsBinaryGeodataFrontend", func(t *testing.T) {
		copies := strings.Join(final.instructions("COPY"), "\n")
		for _, want := range []string{"--from=build", "geodata", "--from=web", "frontend/dist"} {
			if !strings.Contains(copies, want) {
				t.Errorf("final stage COPY lines lack %q", want)
			}
		}
	})
}
