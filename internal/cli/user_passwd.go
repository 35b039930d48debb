package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
)

// runUserPasswd: `user passwd --email E`, the operator's way to set a staff
// password (a locked-out last admin, a lost reset link). The password comes
// from stdin like `user add` (prompted twice without echo on a terminal),
// passes the same policy, must differ from the current one, and every
// session of the account ends, with an audit entry by "cli".
func runUserPasswd(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("user passwd")
	email := fs.String("email", "", "the user's email address (sign-in name)")
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	addr := auth.NormalizeEmail(*email)
	if addr == "" || !strings.Contains(addr, "@") || strings.ContainsAny(addr, " \t\r\n<>") {
		return usagef("user passwd: --email needs an email address, got %q", *email)
	}
	password, err := readPasswordInput(e, "user passwd", "New password: ")
	if err != nil {
		return err
	}
	if password == "" {
		return &configError{errors.New("user passwd: no password given: type it at the prompt or send it as one line on stdin")}
	}
	if err := auth.CheckPassword(password, addr); err != nil {
		return &configError{fmt.Errorf("user passwd: password refused: %w", err)}
	}

	_, st, done, err := e.startWithStore(ctx, keeperIfEncrypted)
	if err != nil {
		return err
	}
	defer done()
	if _, _, err := migrate(ctx, st); err != nil {
		return err
	}
	u, err := st.GetUserByEmail(ctx, addr)
	if errors.Is(err, store.ErrNotFound) {
		return &configError{fmt.Errorf("user passwd: no user with email %s", addr)}
	}
	if err != nil {
		return fmt.Errorf("user passwd: %w", err)
	}
	hasher := auth.NewHasher(auth.DefaultParams(), 1)
	same, err := hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil && !errors.Is(err, auth.ErrMalformedHash) {
		return fmt.Errorf("user passwd: %w", err)
	}
	if same {
		return &configError{errors.New("user passwd: that is the current password; choose another")}
	}
	hash, err := hasher.Hash(ctx, password)
	if err != nil {
		return fmt.Errorf("user passwd: %w", err)
	}
	if err := st.SetPassword(ctx, u.ID, hash, &store.AuditEntry{
		UserEmail: "cli",
		Action:    "user.password_set",
		Summary:   "password set from the command line; sessions ended",
	}); err != nil {
		return fmt.Errorf("user passwd: %w", err)
	}
	fmt.Fprintf(e.stdout, "Password set for %s; every session of the account has ended.\n", addr)
	return nil
}
