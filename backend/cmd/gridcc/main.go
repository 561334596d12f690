// Command gridcc is the command-center server. `gridcc` (or `gridcc serve`)
// runs a replica; `gridcc config` prints every environment variable it reads.
// main only wires the packages together.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gridcc:", err)
		os.Exit(1)
	}
}

const usage = `usage: gridcc [serve]      run a replica (settings from GRIDCC_* variables)
       gridcc config       print every setting, its default and meaning (Markdown)
       gridcc tokens add --role <role> --name <name> [--rate N --burst N] | list | revoke <name>
       gridcc users add --name <login> --display <name> --role <role> [--password-stdin] | passwd | remove | list`

// run dispatches the subcommands; it returns instead of exiting so tests can
// call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, getenv)
	case "config":
		return printConfig(stdout)
	case "tokens":
		return runTokens(args, getenv, stdout)
	case "users":
		return runUsers(args, getenv, os.Stdin, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

func newLogger(level slog.Level, format string, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
