// Command touch changes public content while a load test runs, the way a
// moderator does: every -every it adds a public update to a random case
// from the ids file (one store transaction, which bumps the content
// revision), -n times; with -change rename it gives the case a new
// surname instead, a word no other case has, so the search index gains a
// term (the costlier change for a patched index). Every running instance then rebuilds its read
// model and empties its page cache; scripts/load/rebuild.sh reads how long
// each rebuild took from the server's log (issue 15: under 2 s at 100,000
// cases, without blocking requests).
//
// It reads the same LOSTINNL_* configuration as the server, like seed.
//
//	go run ./scripts/load/touch -ids /tmp/ids.txt -n 5 -every 4s
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"lostinnl/internal/config"
	"lostinnl/internal/store"
)

func main() {
	idsPath := flag.String("ids", "", "the ids of public cases, one per line, as seed writes them (required)")
	n := flag.Int("n", 5, "how many changes (1..1000)")
	every := flag.Duration("every", 4*time.Second, "time between changes (100ms..10m)")
	change := flag.String("change", "update", "what each change is: update (a public update) or rename (a new surname)")
	flag.Parse()
	if *idsPath == "" || *n < 1 || *n > 1000 || *every < 100*time.Millisecond || *every > 10*time.Minute || flag.NArg() > 0 ||
		(*change != "update" && *change != "rename") {
		fmt.Fprintln(os.Stderr, "usage: touch -ids FILE [-n 5] [-every 4s] [-change update|rename]   (database from LOSTINNL_* like the server)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *idsPath, *n, *every, *change == "rename"); err != nil {
		fmt.Fprintln(os.Stderr, "touch:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, idsPath string, n int, every time.Duration, rename bool) error {
	ids, err := readIDs(idsPath)
	if err != nil {
		return err
	}
	cfg, err := config.Load(os.LookupEnv, "")
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, store.PoolOptions{})
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer st.Close()
	t := time.NewTicker(every)
	defer t.Stop()
	for i := range n {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		id := ids[rand.IntN(len(ids))]
		audit := &store.AuditEntry{Action: "update.add", Summary: "load test: rebuild under load", IP: "127.0.0.1"}
		start := time.Now()
		if rename {
			if err := renameCase(ctx, st, id, audit); err != nil {
				return err
			}
		} else if _, err := st.AddUpdate(ctx, id, "Load test update "+strconv.Itoa(i+1)+": searchers checked the trails again.", audit); err != nil {
			return err
		}
		// One line per change, for rebuild.sh to pair with the rebuilds.
		fmt.Printf("%s change %d on case %d (%s)\n", start.UTC().Format(time.RFC3339Nano), i+1, id, time.Since(start).Round(time.Microsecond))
	}
	return nil
}

// renameCase gives case id a made-up surname no case has.
func renameCase(ctx context.Context, st *store.Store, id int64, audit *store.AuditEntry) error {
	c, err := st.GetCase(ctx, id)
	if err != nil {
		return err
	}
	given, _, _ := strings.Cut(c.FullName, " ")
	var sur [9]byte
	sur[0] = 'Q'
	for i := 1; i < len(sur); i++ {
		sur[i] = "aeiouyrlnst"[rand.IntN(11)]
	}
	c.FullName = given + " " + string(sur[:])
	audit.Action, audit.Summary = "case.edit", "load test: rename under load"
	return st.UpdateCase(ctx, c, audit)
}

func readIDs(path string) ([]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		id, err := strconv.ParseInt(line, 10, 64)
		if err != nil || id < 1 {
			return nil, fmt.Errorf("%s: not a case id: %q", path, line)
		}
		ids = append(ids, id)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errors.New(path + ": no ids")
	}
	return ids, nil
}
