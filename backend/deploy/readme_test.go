package deploy

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var gridccVar = regexp.MustCompile(`\bGRIDCC_[A-Z0-9_]+\b`)

// TestDeployVarsDocumentedInREADME checks that every GRIDCC_* variable the
// deployment files set appears in a table row of README.md (its
// configuration table). README.md is read at test time, so a variable added
// to docker-compose.yml or the Dockerfile without documentation fails here.
func TestDeployVarsDocumentedInREADME(t *testing.T) {
	var tableRows []string
	for _, line := range strings.Split(string(mustReadRootFile(t, "README.md")), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "|") {
			tableRows = append(tableRows, line)
		}
	}
	documented := map[string]bool{}
	for _, row := range tableRows {
		for _, v := range gridccVar.FindAllString(row, -1) {
			documented[v] = true
		}
	}

	for _, file := range []string{"docker-compose.yml", "Dockerfile"} {
		t.Run(file, func(t *testing.T) {
			vars := gridccVar.FindAllString(string(mustReadRootFile(t, file)), -1)
			slices.Sort(vars)
			var missing []string
			for _, v := range slices.Compact(vars) {
				if !documented[v] {
					missing = append(missing, v)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s sets %v, which README.md's configuration table does not list", file, missing)
			}
		})
	}
}
