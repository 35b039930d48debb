package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
)

// runUser: `user add --email E --role admin|moderator [--name NAME]`.
// The password comes from stdin (one line; prompted twice without echo on a
// terminal) and never from argv, which leaks into shell history and
// /proc/*/cmdline. Empty stdin: a strong password is generated and printed
// once, on stdout, for the operator to hand over.
func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "passwd" {
		return runUserPasswd(ctx, e, args[1:])
	}
	if len(args) == 0 || args[0] != "add" {
		return usagef("user: want `user add --email E --role admin|moderator` or `user passwd --email E`")
	}
	fs := e.flagSet("user add")
	email := fs.String("email", "", "the user's email address (sign-in name)")
	roleFlag := fs.String("role", "", "admin or moderator")
	name := fs.String("name", "", "display name (default: the part of the email before @)")
	if err := e.parseFlags(fs, args[1:]); err != nil {
		return err
	}
	addr := auth.NormalizeEmail(*email)
	if addr == "" || !strings.Contains(addr, "@") || strings.ContainsAny(addr, " \t\r\n<>") {
		return usagef("user add: --email needs an email address, got %q", *email)
	}
	role, err := auth.ParseRole(*roleFlag)
	if err != nil {
		return usagef("user add: --role must be admin or moderator, got %q", *roleFlag)
	}
	display := strings.TrimSpace(*name)
	if display == "" {
		display, _, _ = strings.Cut(addr, "@")
	}

	password, generated, err := readNewPassword(e)
	if err != nil {
		return err
	}
	if !generated {
		if err := auth.CheckPassword(password, addr); err != nil {
			return &configError{fmt.Errorf("user add: password refused: %w", err)}
		}
	}

	_, st, done, err := e.startWithStore(ctx, keeperIfEncrypted)
	if err != nil {
		return err
	}
	defer done()
	if _, _, err := migrate(ctx, st); err != nil {
		return err
	}
	hash, err := auth.NewHasher(auth.DefaultParams(), 1).Hash(ctx, password)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	u := &store.User{Email: addr, DisplayName: display, PasswordHash: hash, Role: role}
	id, err := st.CreateUser(ctx, u, &store.AuditEntry{
		UserEmail: "cli",
		Action:    "user.create",
		Summary:   "created from the command line with role " + string(role),
	})
	if errors.Is(err, store.ErrConflict) {
		return &configError{fmt.Errorf("user add: a user with email %s already exists", addr)}
	}
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	if generated {
		fmt.Fprintf(e.stdout, "Created %s %s (id %d).\nPassword (shown once, store it safely): %s\n", role, addr, id, password)
	} else {
		fmt.Fprintf(e.stdout, "Created %s %s (id %d).\n", role, addr, id)
	}
	return nil
}

// readNewPassword gets the password for a new account: prompted twice
// without echo on a terminal, else the first line of stdin; generated when
// that is empty.
func readNewPassword(e *env) (password string, generated bool, err error) {
	p, err := readPasswordInput(e, "user add", "Password (empty to generate one): ")
	if err != nil || p != "" {
		return p, false, err
	}
	if p, err = auth.GeneratePassword(); err != nil {
		return "", false, fmt.Errorf("generate password: %w", err)
	}
	return p, true, nil
}

// readPasswordInput reads a password typed by the operator: on a terminal
// prompted twice without echo (the two must match), else the first line of
// stdin. "" means none was given.
func readPasswordInput(e *env, cmd, prompt string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, prompt)
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if len(p1) == 0 {
			return "", nil
		}
		fmt.Fprint(e.stderr, "Again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(p1) != string(p2) {
			return "", &configError{errors.New(cmd + ": the two passwords differ")}
		}
		return string(p1), nil
	}
	if e.stdin == nil {
		return "", nil
	}
	// One line, bounded: a password longer than this is refused by the
	// policy anyway, and /dev/zero must not eat memory.
	line, err := bufio.NewReader(io.LimitReader(e.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
