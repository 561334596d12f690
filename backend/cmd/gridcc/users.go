package main

import (
	"bytes"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"text/tabwriter"
	"time"

	"github.com/gridcc/gridcc/backend/auth"
)

const usersUsage = `usage: gridcc users add --name <login> --display <中文名> --role <role> [--password-stdin]
       gridcc users passwd <login> [--password-stdin]
       gridcc users remove <login>
       gridcc users list

Users (people) live in GRIDCC_AUTH_FILE (default var/auth.json) beside the tokens,
with argon2id password hashes only. Roles: officer, street:<street_code>,
community:<community_id>, responder:<id>, reviewer, admin (docs/auth.md).
Passwords: at least 12 characters, at most 128 bytes, 3 of lower case, upper case,
digits and other characters, not containing the login name.
--password-stdin reads the password from the first line of standard input:
  read -rs PW && echo "$PW" | gridcc users passwd zhang --password-stdin
Without it, gridcc makes up a password and prints it once.
remove disables the user (the record stays for audit; the name is never reused).
Running replicas pick changes up within 2s: a removed user, or one whose password
changed, is logged out everywhere and its live screens are closed.`

// runUsers implements `gridcc users …`. stdin is read only with
// --password-stdin.
func runUsers(args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	path := getenv("GRIDCC_AUTH_FILE")
	if path == "" {
		path = defaultAuthFile
	}
	file := auth.NewFile(path)
	if len(args) == 0 {
		return usersUsageError(errors.New("missing subcommand"))
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "add":
		return usersAdd(file, path, rest, stdin, stdout)
	case "passwd":
		return usersPasswd(file, path, rest, stdin, stdout)
	case "remove":
		if len(rest) != 1 {
			return usersUsageError(errors.New("remove takes exactly one login name"))
		}
		if err := file.DisableUser(rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Disabled user %q in %s; running replicas end its sessions and close its screens within %s.\n", rest[0], path, auth.PollInterval)
		return nil
	case "list":
		if len(rest) > 0 {
			return usersUsageError(errors.New("list takes no arguments"))
		}
		return usersList(file, path, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usersUsage)
		return nil
	default:
		return usersUsageError(fmt.Errorf("unknown subcommand %q", cmd))
	}
}

func usersAdd(file *auth.File, path string, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("gridcc users add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("name", "", "login name")
	display := fs.String("display", "", "the name screens show")
	role := fs.String("role", "", "officer, street:<code>, community:<id>, responder:<id>, reviewer or admin")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, usersUsage)
		return nil
	} else if err != nil {
		return usersUsageError(err)
	}
	switch {
	case fs.NArg() > 0:
		return usersUsageError(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	case *name == "" || *display == "" || *role == "":
		return usersUsageError(errors.New("add needs --name, --display and --role"))
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return err
	}
	password, generated, err := newPassword(*name, *fromStdin, stdin)
	if err != nil {
		return err
	}
	if err := file.AddUser(*name, *display, r, password); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added user %q (%s, role %s) to %s.\n", *name, *display, r, path)
	printGenerated(stdout, generated, password)
	fmt.Fprintf(stdout, "Running replicas accept the login within %s.\n", auth.PollInterval)
	return nil
}

func usersPasswd(file *auth.File, path string, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("gridcc users passwd", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	// The flag may come before or after the name.
	err := fs.Parse(args)
	var name string
	if err == nil && fs.NArg() > 0 {
		name = fs.Arg(0)
		err = fs.Parse(fs.Args()[1:])
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, usersUsage)
		return nil
	case err != nil:
		return usersUsageError(err)
	case name == "" || fs.NArg() > 0:
		return usersUsageError(errors.New("passwd takes exactly one login name"))
	}
	password, generated, err := newPassword(name, *fromStdin, stdin)
	if err != nil {
		return err
	}
	if err := file.SetPassword(name, password); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Changed the password of %q in %s; running replicas end its sessions within %s.\n", name, path, auth.PollInterval)
	printGenerated(stdout, generated, password)
	return nil
}

func printGenerated(stdout io.Writer, generated bool, password string) {
	if generated {
		fmt.Fprintf(stdout, "\nPassword (shown only this once; give it to the user in person):\n\n    %s\n\n", password)
	}
}

// newPassword reads the password from stdin, or makes one up. The rules
// are checked by the auth file writer (auth.CheckPassword).
func newPassword(name string, fromStdin bool, stdin io.Reader) (password string, generated bool, err error) {
	if !fromStdin {
		pw, err := generatePassword(name)
		return pw, true, err
	}
	if stdin == nil {
		return "", false, errors.New("--password-stdin: no standard input")
	}
	buf, err := io.ReadAll(io.LimitReader(stdin, auth.MaxPasswordBytes+3))
	if err != nil {
		return "", false, fmt.Errorf("--password-stdin: %w", err)
	}
	line, rest, _ := bytes.Cut(buf, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	switch {
	case len(bytes.TrimSpace(rest)) > 0:
		return "", false, errors.New("--password-stdin: standard input holds more than one line")
	case len(line) > auth.MaxPasswordBytes:
		return "", false, fmt.Errorf("--password-stdin: the password is longer than %d bytes", auth.MaxPasswordBytes)
	case len(line) == 0:
		return "", false, errors.New("--password-stdin: standard input is empty")
	}
	return string(line), false, nil
}

// passwordAlphabet leaves out look-alikes (0/O, 1/l/I) so a password read
// out loud or from paper is typed right.
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.+!"

// generatePassword makes up an 18-character password (about 106 bits) that
// passes the rules for name.
func generatePassword(name string) (string, error) {
	for {
		b := make([]byte, 18)
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(passwordAlphabet))))
			if err != nil {
				return "", err
			}
			b[i] = passwordAlphabet[n.Int64()]
		}
		if pw := string(b); auth.CheckPassword(name, pw) == nil {
			return pw, nil
		}
	}
}

func usersList(file *auth.File, path string, stdout io.Writer) error {
	users, err := file.Users()
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintf(stdout, "No users in %s; add one with `gridcc users add`.\n", path)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDISPLAY\tROLE\tCREATED\tPASSWORD CHANGED\tDISABLED")
	for _, u := range users {
		disabled := "-"
		if u.DisabledAt != nil {
			disabled = u.DisabledAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Name, u.Display, u.Role,
			u.CreatedAt.Format(time.RFC3339), u.PasswordChangedAt.Format(time.RFC3339), disabled)
	}
	return tw.Flush()
}

func usersUsageError(err error) error { return fmt.Errorf("users: %w\n%s", err, usersUsage) }
