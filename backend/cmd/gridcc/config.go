package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gridcc/gridcc/backend/config"
)

// printConfig writes the settings table the README carries.
func printConfig(w io.Writer) error {
	fmt.Fprintln(w, "| variable | default | meaning |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, v := range config.Vars() {
		def := "`" + v.Default + "`"
		if v.Default == "" {
			def = "(empty)"
		}
		fmt.Fprintf(w, "| `%s` | %s | %s |\n", v.Name, def, strings.ReplaceAll(v.Doc, "|", "\\|"))
	}
	return nil
}
