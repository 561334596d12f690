package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/gridcc/gridcc/backend/auth"
)

// defaultAuthFile is where the auth file lives when GRIDCC_AUTH_FILE is unset.
const defaultAuthFile = "var/auth.json"

const tokensUsage = `usage: gridcc tokens add --role <role> --name <name> [--rate N --burst N]
       gridcc tokens list
       gridcc tokens revoke <name>

Tokens live in GRIDCC_AUTH_FILE (default var/auth.json), as SHA-256 hashes only.
Roles: wall (screens) or ingest:<source> (a system posting events; source is
[a-z0-9_-]{1,32}). --rate (requests/s) and --burst override GRIDCC_RATE_PER_S and
GRIDCC_RATE_BURST for this token, e.g. the benchmark token:
  gridcc tokens add --role ingest:bench --name bench --rate 100000 --burst 100000
The commands are safe while gridcc serves; replicas pick changes up within 2s.`

// runTokens implements `gridcc tokens …`.
func runTokens(args []string, getenv func(string) string, stdout io.Writer) error {
	path := getenv("GRIDCC_AUTH_FILE")
	if path == "" {
		path = defaultAuthFile
	}
	file := auth.NewFile(path)
	if len(args) == 0 {
		return usageError(errors.New("missing subcommand"))
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "add":
		return tokensAdd(file, path, rest, stdout)
	case "list":
		if len(rest) > 0 {
			return usageError(fmt.Errorf("list takes no arguments"))
		}
		return tokensList(file, path, stdout)
	case "revoke":
		if len(rest) != 1 {
			return usageError(fmt.Errorf("revoke takes exactly one token name"))
		}
		if err := file.RevokeToken(rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Revoked token %q in %s; running replicas refuse it, and the screen sessions opened with it, within %s.\n", rest[0], path, auth.PollInterval)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, tokensUsage)
		return nil
	default:
		return usageError(fmt.Errorf("unknown subcommand %q", cmd))
	}
}

func tokensAdd(file *auth.File, path string, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gridcc tokens add", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned with the usage instead
	role := fs.String("role", "", "wall or ingest:<source>")
	name := fs.String("name", "", "unique name of the token")
	rate := fs.Float64("rate", 0, "requests per second (0: GRIDCC_RATE_PER_S)")
	burst := fs.Int("burst", 0, "bucket size (0: GRIDCC_RATE_BURST)")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, tokensUsage)
		return nil
	} else if err != nil {
		return usageError(err)
	}
	switch {
	case fs.NArg() > 0:
		return usageError(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	case *role == "" || *name == "":
		return usageError(errors.New("add needs --role and --name"))
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return err
	}
	token, err := file.AddToken(*name, r, *rate, *burst)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added token %q (role %s) to %s:\n\n    %s\n\n", *name, r, path, token)
	fmt.Fprintln(stdout, "Store it now: it is shown only this once, and gridcc keeps only its SHA-256 hash.")
	if r.IsIngest() {
		fmt.Fprintln(stdout, "Send it as the header `Authorization: Bearer <token>`.")
	} else {
		fmt.Fprintln(stdout, "Open the screen once as https://<gridcc-host>/wall?token=<token>; gridcc swaps it for a cookie.")
	}
	fmt.Fprintf(stdout, "Running replicas accept it within %s.\n", auth.PollInterval)
	return nil
}

func tokensList(file *auth.File, path string, stdout io.Writer) error {
	tokens, err := file.Tokens()
	if err != nil {
		return err
	}
	if len(tokens) == 0 {
		fmt.Fprintf(stdout, "No tokens in %s; add one with `gridcc tokens add`.\n", path)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tRATE/S\tBURST\tCREATED\tREVOKED")
	for _, t := range tokens {
		revoked := "-"
		if t.RevokedAt != nil {
			revoked = t.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, t.Role,
			orDefault(strconv.FormatFloat(t.RatePerS, 'g', -1, 64), t.RatePerS == 0),
			orDefault(strconv.Itoa(t.Burst), t.Burst == 0),
			t.CreatedAt.Format(time.RFC3339), revoked)
	}
	return tw.Flush()
}

// orDefault shows "default" for a limit left to the replica's setting.
func orDefault(v string, isDefault bool) string {
	if isDefault {
		return "default"
	}
	return v
}

func usageError(err error) error { return fmt.Errorf("tokens: %w\n%s", err, tokensUsage) }
