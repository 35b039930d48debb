package cli

import (
	"context"
	"fmt"
	"os"

	"lostinnl/internal/mail"
	"lostinnl/internal/secrets"
)

// runSecret: `secret encrypt` and `secret decrypt`, stdin → stdout through
// the configured keeper. Secrets never travel on the command line (they
// would land in shell history and /proc/*/cmdline).
func runSecret(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("secret: want `secret encrypt`, `secret decrypt` or `secret rotate`")
	}
	sub, rest := args[0], args[1:]
	var op func(context.Context, *secrets.Keeper) error
	switch sub {
	case "encrypt":
		op = func(ctx context.Context, k *secrets.Keeper) error {
			if f, ok := e.stdin.(*os.File); ok && isTerminal(f) {
				fmt.Fprintln(e.stderr, "Type the secret, then press Enter and Ctrl-D:")
			}
			return secrets.EncryptStream(ctx, k, e.stdin, e.stdout)
		}
	case "decrypt":
		op = func(ctx context.Context, k *secrets.Keeper) error {
			return secrets.DecryptStream(ctx, k, e.stdin, e.stdout)
		}
	case "rotate":
		return runSecretRotate(ctx, e, rest)
	default:
		return usagef("secret: unknown sub-command %q (want encrypt, decrypt or rotate)", sub)
	}
	if err := e.parseFlags(e.flagSet("secret "+sub), rest); err != nil {
		return err
	}
	a, err := e.start(ctx, keeperOnly)
	if err != nil {
		return err
	}
	defer a.close()
	if err := op(ctx, a.keeper); err != nil {
		// Bad input (not base64, wrong key, tampered): the user's mistake,
		// reported as one line without the value, exit 2 like bad config.
		return &configError{err}
	}
	return nil
}

// isTerminal reports whether f is a character device (an interactive
// terminal), to decide whether to print a prompt.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// runSecretRotate: `secret rotate [--batch N]` re-wraps every stored data
// key under the keeper's current key. It is resumable (values already under
// the current key are skipped) and safe while the server runs (each value is
// replaced with a compare-and-swap). Exit 1 when some values could not be
// opened: they are left untouched and need an operator's look.
func runSecretRotate(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("secret rotate")
	batch := fs.Int("batch", 200, "rows per batch")
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if *batch < 1 || *batch > 10000 {
		return usagef("secret rotate: --batch must be between 1 and 10000, got %d", *batch)
	}
	a, st, done, err := e.startWithStore(ctx, keeperAlways)
	if err != nil {
		return err
	}
	defer done()
	if _, _, err := migrate(ctx, st); err != nil {
		return err
	}
	counts, err := secrets.Rotate(ctx, st, secrets.NewFieldCipher(a.keeper, a.logger), *batch, func(c secrets.RotateCounts) {
		fmt.Fprintln(e.stderr, "progress:", c)
	})
	fmt.Fprintln(e.stdout, counts)
	if err != nil {
		return fmt.Errorf("secret rotate: %w", err)
	}
	// The mail master key (blind index, link signatures) is keeper
	// ciphertext in a setting, not a sealed column: re-wrap it too.
	if ok, err := mail.RewrapKeys(ctx, st, a.keeper); err != nil {
		return fmt.Errorf("secret rotate: %w", err)
	} else if ok {
		fmt.Fprintln(e.stderr, "mail key re-wrapped")
	}
	if counts.Unreadable > 0 {
		return fmt.Errorf("secret rotate: %d values could not be opened and were left as they are", counts.Unreadable)
	}
	return nil
}
