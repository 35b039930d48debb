package cli

import (
	"context"
	"fmt"
	"os"

	"lostinnl/internal/secrets"
)

// runSecret: `secret encrypt` and `secret decrypt`, stdin → stdout through
// the configured keeper. Secrets never travel on the command line (they
// would land in shell history and /proc/*/cmdline).
func runSecret(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("secret: want `secret encrypt` or `secret decrypt`")
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
	default:
		return usagef("secret: unknown sub-command %q (want encrypt or decrypt)", sub)
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
