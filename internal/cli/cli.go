// Package cli is the lostinnl command line: it parses the sub-command and its
// flags, loads the configuration and wires the packages together. Nothing
// else in the program reads flags or the environment, and nothing here calls
// os.Exit: Run returns the exit status for main to use.
//
// Exit status: 0 success; 1 a runtime failure (database down, port taken);
// 2 bad usage or bad configuration, reported as one line on stderr.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"lostinnl/internal/config"
)

const usageText = `Usage: lostinnl [--config FILE] [command] [flags]

Commands:
  serve [--demo]    run the web server (the default command)
                    --demo: seed fictional demo cases (once) and mark every
                    page as showing demo data
  migrate           apply database migrations and exit
  secret encrypt    read a secret on stdin, print base64 ciphertext for a *_ENCRYPTED key
  secret decrypt    read base64 ciphertext on stdin, print the plaintext
  secret rotate [--batch N]
                    re-wrap every encrypted field's data key under the current key
  user add --email E --role admin|moderator [--name NAME]
                    create a staff account; password from stdin, or generated
                    and printed once when stdin is empty
  user passwd --email E
                    set a staff password (from stdin; prompted twice on a
                    terminal) and end every session of the account
  pfif import FILE  import a PFIF 1.4 file's person records as pending cases for
                    review (once per person_record_id; never published directly)
  backup --out FILE write an online backup of a SQLite install (database + media)
  restore --from FILE
                    restore a backup into an empty LOSTINNL_DATA_DIR
  version           print version, commit and Go version
  help              show this help

Flags (before or after the command):
  --config FILE     read LOSTINNL_* settings from FILE (KEY=VALUE lines);
                    environment variables win over the file

Configuration: LOSTINNL_* environment variables, documented in README.md and
lostinnl.example.env. Exit status: 0 ok, 1 failure, 2 bad usage or configuration.
`

// Run runs the lostinnl command line with args (without the program name).
// lookup reads environment variables (os.LookupEnv in main; a map in tests).
// It returns the process exit status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lookup func(string) (string, bool)) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, lookup: lookup}
	return e.exit(e.dispatch(ctx, args))
}

// env carries the process's streams and environment to every command.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	lookup         config.LookupFunc
	configFile     string

	// logger is set once the configuration is known; errors after that
	// are logged through it (redacted, in the configured format).
	logger *slog.Logger
	// secrets are scrubbed from any error printed without the logger.
	secrets []string
}

// usageError: bad command line. Printed with the usage text, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// configError: bad configuration. Printed as one line, exit 2.
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

// errHelp: the user asked for help; print usage on stdout, exit 0.
var errHelp = errors.New("help requested")

type command struct {
	name string
	run  func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", runServe},
		{"migrate", runMigrate},
		{"secret", runSecret},
		{"user", runUser},
		{"pfif", runPFIF},
		{"backup", runBackup},
		{"restore", runRestore},
		{"version", runVersion},
		{"help", func(context.Context, *env, []string) error { return errHelp }},
	}
}

func (e *env) dispatch(ctx context.Context, args []string) error {
	fs := e.flagSet("lostinnl")
	if err := parse(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	name := "serve"
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, rest)
		}
	}
	return usagef("unknown command %q", name)
}

// flagSet returns a flag set that reports errors to us instead of printing,
// with --config on it: the flag may come before or after the command name.
func (e *env) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Func("config", "configuration file", func(v string) error {
		if v == "" {
			return errors.New("needs a file name")
		}
		e.configFile = v
		return nil
	})
	return fs
}

// parseFlags parses a sub-command's flags and refuses stray arguments.
func (e *env) parseFlags(fs *flag.FlagSet, args []string) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// exit turns the outcome of a command into output and an exit status.
func (e *env) exit(err error) int {
	var ue *usageError
	var ce *configError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		io.WriteString(e.stdout, usageText)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "lostinnl: %s\n\n%s", e.scrub(ue.msg), usageText)
		return 2
	case errors.As(err, &ce):
		fmt.Fprintln(e.stderr, e.scrub(ce.Error()))
		return 2
	case isFlagError(err):
		fmt.Fprintf(e.stderr, "lostinnl: %s\n\n%s", e.scrub(err.Error()), usageText)
		return 2
	}
	if e.logger != nil {
		e.logger.Error("lostinnl failed", slog.String("error", err.Error()))
	} else {
		fmt.Fprintf(e.stderr, "lostinnl: %s\n", e.scrub(err.Error()))
	}
	return 1
}

// parse runs fs.Parse and marks its errors as usage problems.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return errHelp
	}
	return &flagError{err}
}

// isFlagError recognises errors from parse.
func isFlagError(err error) bool {
	var fe *flagError
	return errors.As(err, &fe)
}

type flagError struct{ err error }

func (f *flagError) Error() string { return f.err.Error() }

// scrub removes configured secret values and folds to one line, for output
// that does not go through the redacting logger.
func (e *env) scrub(s string) string {
	for _, v := range e.secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return strings.Join(strings.Fields(s), " ")
}
