// Command seed fills the configured LostInNL database with fictional,
// demo-style cases for load tests, and writes the ids of the public ones to
// a file (one per line) for wrk's random-id script. With -queries it also
// writes search queries over the generated cases (demo.Queries: names,
// typos, nicknames, places, descriptions, some that match nothing), one
// per line, for the uncached search pass to rotate through.
//
// It reads the same LOSTINNL_* configuration as the server
// (LOSTINNL_DATABASE_URL, LOSTINNL_DATA_DIR, LOSTINNL_SECRETS_KEEPER), so the
// reporter contacts it seals open with the server's key. Seeding goes
// through internal/demo, so it is idempotent: running it again on the same
// database adds only what is missing.
//
//	go run ./scripts/load/seed -n 10000 -ids /tmp/ids.txt -queries /tmp/queries.txt
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"lostinnl/internal/config"
	"lostinnl/internal/demo"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

func main() {
	n := flag.Int("n", 10000, "number of generated load-test cases (the ~40 showcase demo cases come on top)")
	idsPath := flag.String("ids", "", "write the ids of public cases here, one per line (required)")
	queriesPath := flag.String("queries", "", "also write distinct search queries over the generated cases here, one per line")
	nq := flag.Int("nq", 2500, "how many distinct queries -queries writes (at least 1)")
	flag.Parse()
	if *idsPath == "" || *n < 0 || *nq < 1 || *nq > 1000000 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: seed [-n 10000] -ids FILE [-queries FILE [-nq 2500]]   (database and keys from LOSTINNL_* like the server)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *queriesPath != "" {
		// Before seeding: a bad path fails in a second, not after minutes.
		count, err := writeQueries(*queriesPath, *n, *nq)
		if err != nil {
			fmt.Fprintln(os.Stderr, "seed:", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "seed: %d distinct search queries written to %s\n", count, *queriesPath)
	}
	if err := run(ctx, *n, *idsPath); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n int, idsPath string) error {
	cfg, err := config.Load(os.LookupEnv, "")
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	keeper, err := secrets.OpenKeeper(ctx, cfg.SecretsKeeper, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("open keeper: %w", err)
	}
	defer keeper.Close()
	if err := cfg.ResolveSecrets(ctx, keeper); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}

	st, err := store.Open(ctx, cfg.DatabaseURL, store.PoolOptions{})
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	st.SetCipher(secrets.NewFieldCipher(keeper, slog.New(slog.NewTextHandler(os.Stderr, nil))))

	if err := checkGenerator(ctx, st); err != nil {
		return err
	}
	start := time.Now()
	// Photos are left out on purpose: the load test measures pages and
	// queries, and 10,000 photo pipelines would take longer than the test.
	added, err := demo.Seed(ctx, st, demo.Options{Extra: n})
	if err != nil {
		return fmt.Errorf("seed (%d added before the error): %w", added, err)
	}
	fmt.Fprintf(os.Stderr, "seed: %d cases added in %s (%s)\n", added, time.Since(start).Round(time.Millisecond), st.Dialect())

	count, err := writeIDs(ctx, st, idsPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "seed: %d public case ids written to %s\n", count, idsPath)
	return nil
}

// writeIDs pages through every public case (by name, a stable order) and
// writes the ids to path.
func writeIDs(ctx context.Context, st *store.Store, path string) (count int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("create ids file: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write ids file: %w", cerr)
		}
	}()
	w := bufio.NewWriter(f)
	seen := map[int64]bool{}
	for page := 1; ; page++ {
		res, err := st.SearchCases(ctx, store.CaseQuery{
			Statuses: []store.Status{store.StatusMissing, store.StatusLocated},
			Sort:     store.SortName,
			Page:     page,
			PerPage:  100,
		})
		if err != nil {
			return count, fmt.Errorf("list public cases (page %d): %w", page, err)
		}
		if len(res.Cases) == 0 {
			break
		}
		for _, c := range res.Cases {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			count++
			if _, err := w.WriteString(strconv.FormatInt(c.ID, 10) + "\n"); err != nil {
				return count, fmt.Errorf("write ids file: %w", err)
			}
		}
	}
	if count == 0 {
		return 0, errors.New("no public cases found after seeding")
	}
	if err := w.Flush(); err != nil {
		return count, fmt.Errorf("write ids file: %w", err)
	}
	return count, nil
}

// writeQueries writes demo.Queries over the cases Seed generates for n
// (the showcase cases come on top), one per line. Queries never contain a
// line break; the generator is pure, so this needs no database.
func writeQueries(path string, n, count int) (written int, err error) {
	queries := demo.Queries(demo.Generate(n, demo.GeneratorSeed, time.Now()), count, 1)
	if len(queries) == 0 {
		return 0, errors.New("no queries: -n must be at least 1 with -queries")
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("create queries file: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write queries file: %w", cerr)
		}
	}()
	w := bufio.NewWriter(f)
	for _, q := range queries {
		if _, err := w.WriteString(q + "\n"); err != nil {
			return 0, fmt.Errorf("write queries file: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return 0, fmt.Errorf("write queries file: %w", err)
	}
	return len(queries), nil
}

// checkGenerator refuses a database whose first load case is not the one
// the current generator makes: Seed is idempotent by file number, so it
// would keep an older generator's people and the queries file would not
// fit them (a database kept with run.sh -k before the generator changed).
func checkGenerator(ctx context.Context, st *store.Store) error {
	want := demo.Generate(1, demo.GeneratorSeed, time.Now())[0]
	id, err := st.FindCaseByPoliceFile(ctx, want.PoliceAgency, want.PoliceFileNumber)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look up %s: %w", want.PoliceFileNumber, err)
	}
	got, err := st.GetCase(ctx, id)
	if err != nil {
		return fmt.Errorf("read %s: %w", want.PoliceFileNumber, err)
	}
	if got.FullName != want.FullName {
		return fmt.Errorf("the database holds load cases from another version of the generator (%s is %q, now %q): drop it and seed again",
			want.PoliceFileNumber, got.FullName, want.FullName)
	}
	return nil
}
