package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"lostinnl/internal/pfif"
	"lostinnl/internal/store"
)

// runPFIF: `pfif import FILE`. Every person record of a PFIF 1.4 document
// becomes a pending case for a moderator to review (never public), once
// per person_record_id: running it again on the same file creates nothing.
// A malformed, oversized or hostile document is refused before anything
// is written (exit 2, one line naming the problem and its line); a record
// the store refuses is reported and the others still import (exit 1).
// Output names record and case ids only, never a person's name.
func runPFIF(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return usagef("pfif: want `pfif import FILE`")
	}
	fs := e.flagSet("pfif import")
	// parse, not parseFlags: FILE is a positional argument.
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("pfif import: want exactly one FILE, got %d", fs.NArg())
	}
	path := fs.Arg(0)
	lim := pfif.DefaultLimits()
	persons, err := readPFIF(path, lim)
	if err != nil {
		return &configError{fmt.Errorf("pfif import: %s: %w", path, err)}
	}

	_, st, done, err := e.startWithStore(ctx, keeperIfEncrypted)
	if err != nil {
		return err
	}
	defer done()
	if _, _, err := migrate(ctx, st); err != nil {
		return err
	}
	now := time.Now().UTC()
	var created, existing, expired, failed int
	for _, p := range persons {
		// An expiry notice (or a record past its expiry) asks us to delete,
		// not to add: nothing to review.
		if !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(now) {
			expired++
			fmt.Fprintf(e.stdout, "skipped %s: expired %s\n", p.RecordID, p.ExpiryDate.Format(pfif.DateLayout))
			continue
		}
		c := pfif.ToCase(p, now)
		id, isNew, err := st.ImportPFIFCase(ctx, p.RecordID, &c, &store.AuditEntry{
			UserEmail: "cli",
			Action:    "case.import_pfif",
			Summary:   "imported as a pending case from PFIF record " + p.RecordID,
		})
		switch {
		case err != nil:
			failed++
			fmt.Fprintf(e.stderr, "failed %s: %v\n", p.RecordID, err)
		case isNew:
			created++
			fmt.Fprintf(e.stdout, "created pending case %d from %s\n", id, p.RecordID)
		default:
			existing++
			fmt.Fprintf(e.stdout, "already imported %s as case %d\n", p.RecordID, id)
		}
	}
	fmt.Fprintf(e.stdout, "%d created, %d already imported, %d expired, %d failed\n", created, existing, expired, failed)
	if failed > 0 {
		return fmt.Errorf("pfif import: %d of %d records failed", failed, len(persons))
	}
	return nil
}

// readPFIF parses the file, refusing an oversized one by its size before
// reading (Parse would also stop at the limit while streaming).
func readPFIF(path string, lim pfif.Limits) ([]pfif.Person, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if st.Size() > lim.MaxBytes {
		return nil, fmt.Errorf("%d bytes, more than the %d a PFIF import may have", st.Size(), lim.MaxBytes)
	}
	return pfif.Parse(f, lim)
}
