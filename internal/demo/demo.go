// Package demo seeds fictional cases for `lostinnl serve --demo` and for
// load tests, and generates the fictional data and search queries that
// benchmarks run on. Every person here is invented. The ~40 showcase cases
// (people.go) have names built from Newfoundland plants, fish and weather
// words so nobody could mistake them for real people; the generated load
// cases (generate.go) combine common given names, surnames and real
// communities of the province at random, for realistic search, and are
// marked as demo data by their police agency and DEMO-LOAD file numbers.
// Portraits are drawn silhouettes, never faces. The package writes only
// through the store's public methods; it owns no SQL.
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
	"time"

	"lostinnl/internal/store"
)

// Agency is the police agency recorded on every demo case; with the
// "DEMO-" file numbers it makes demo rows easy to find and impossible to
// confuse with real files. FindCaseByPoliceFile on it is what makes Seed
// idempotent.
const Agency = "RNC (demo)"

// PortraitFunc stores one generated portrait (JPEG bytes) and returns the
// photo row to attach (Key, Width, Height filled). The lead wires it to the
// media pipeline with MediaPortraits; nil = no portraits.
type PortraitFunc func(ctx context.Context, jpegData []byte) (store.Photo, error)

// Options tune Seed. The zero value seeds the ~40 showcase cases.
type Options struct {
	// Now anchors the "last seen" dates (default time.Now).
	Now func() time.Time
	// Portrait, when set, gives published demo cases a generated
	// silhouette portrait (cases that already have photos are left alone).
	Portrait PortraitFunc
	// Extra adds that many more generated missing-person cases (for load
	// tests: 10,000 cases from Generate with GeneratorSeed), also
	// idempotent.
	Extra int
}

// Seed adds the demo cases that are not there yet and returns how many it
// added. Running it again adds nothing.
func Seed(ctx context.Context, st *store.Store, opt Options) (added int, err error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	today := now().UTC().Truncate(24 * time.Hour)
	for i, p := range people {
		ok, err := seedOne(ctx, st, opt, i, p.toCase(i, today), p.status, p.updates, p.withdrawn)
		if err != nil {
			return added, err
		}
		if ok {
			added++
		}
		if ok && i == notesPerson {
			if err := seedShowcaseNotes(ctx, st, p.toCase(i, today)); err != nil {
				return added, err
			}
		}
	}
	g := newGenerator(GeneratorSeed)
	for i := 0; i < opt.Extra; i++ {
		// One case at a time (what Generate returns, without holding
		// 100,000 of them in memory).
		c := g.generate(i, today)
		status := c.Status
		ok, err := seedOne(ctx, st, opt, len(people)+i, &c, status, extraUpdates(i, status), false)
		if err != nil {
			return added, err
		}
		if ok {
			added++
		}
	}
	return added, nil
}

// seedOne creates the case unless its demo file number exists, walks it to
// its status, adds updates, and attaches a portrait when asked.
func seedOne(ctx context.Context, st *store.Store, opt Options, n int, c *store.Case, status store.Status, updates []string, withdrawn bool) (bool, error) {
	id, err := st.FindCaseByPoliceFile(ctx, c.PoliceAgency, c.PoliceFileNumber)
	switch {
	case err == nil:
		// Already seeded; only fill a portrait that a previous run without
		// the media pipeline could not add.
		if status.Public() && !withdrawn {
			return false, addPortrait(ctx, st, opt, n, id, c)
		}
		return false, nil
	case !errors.Is(err, store.ErrNotFound):
		return false, fmt.Errorf("demo: look up %s: %w", c.PoliceFileNumber, err)
	}
	initial := store.StatusMissing
	if status == store.StatusPending || status == store.StatusRejected {
		initial = store.StatusPending
	}
	c.Status = initial
	contact := store.ReporterContact{
		Name:         "Demo Reporter " + c.PoliceFileNumber,
		Phone:        fmt.Sprintf("709-555-01%02d", n%100),
		Email:        "reporter@example.org",
		Relationship: "fictional relative",
	}
	audit := &store.AuditEntry{Action: "case.demo_seed", Summary: "fictional demo case"}
	id, err = st.CreateCase(ctx, c, contact, nil, audit)
	if err != nil {
		return false, fmt.Errorf("demo: create %s: %w", c.PoliceFileNumber, err)
	}
	switch status {
	case store.StatusLocated, store.StatusArchived, store.StatusRejected:
		if err := st.TransitionCase(ctx, id, status, "fictional demo case", audit); err != nil {
			return true, fmt.Errorf("demo: %s to %s: %w", c.PoliceFileNumber, status, err)
		}
	}
	for _, u := range updates {
		if _, err := st.AddUpdate(ctx, id, u, nil); err != nil {
			return true, fmt.Errorf("demo: update for %s: %w", c.PoliceFileNumber, err)
		}
	}
	if withdrawn {
		if _, err := st.WithdrawPersonal(ctx, id, audit); err != nil {
			return true, fmt.Errorf("demo: withdraw %s: %w", c.PoliceFileNumber, err)
		}
		return true, nil
	}
	if status == store.StatusPending || status == store.StatusRejected {
		return true, nil
	}
	return true, addPortrait(ctx, st, opt, n, id, c)
}

func addPortrait(ctx context.Context, st *store.Store, opt Options, n int, id int64, c *store.Case) error {
	if opt.Portrait == nil {
		return nil
	}
	photos, err := st.ListPhotos(ctx, id)
	if err != nil {
		return fmt.Errorf("demo: list photos of %s: %w", c.PoliceFileNumber, err)
	}
	if len(photos) > 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Silhouette(n, 480, 600), &jpeg.Options{Quality: 85}); err != nil {
		return fmt.Errorf("demo: encode portrait: %w", err)
	}
	ph, err := opt.Portrait(ctx, buf.Bytes())
	if err != nil {
		return fmt.Errorf("demo: store portrait for %s: %w", c.PoliceFileNumber, err)
	}
	ph.Primary = true
	if ph.Alt == "" {
		ph.Alt = "Placeholder silhouette (demo data, not a real photo)"
	}
	if err := st.AddPhotos(ctx, id, []store.Photo{ph}, nil); err != nil {
		return fmt.Errorf("demo: attach portrait to %s: %w", c.PoliceFileNumber, err)
	}
	return nil
}

// extraUpdates gives generated cases a timeline like real ones: located
// cases say so, and some open cases have a search or an appeal.
func extraUpdates(i int, status store.Status) []string {
	switch {
	case status == store.StatusLocated:
		return []string{updFound}
	case i%7 == 0:
		return []string{updSearch, updAppeal}
	case i%3 == 0:
		return []string{updAppeal}
	}
	return nil
}
