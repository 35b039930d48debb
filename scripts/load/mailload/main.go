// Command mailload is the Go half of scripts/load/mail.sh, the load test
// of issue 16's figures: publishing a case in a region with 10,000
// confirmed subscribers, while the real server serves public pages.
//
//	mailload prepare -subs 10000 -region Western -cases 2000 -publish 3 -ids IDS -pending PENDING
//	mailload sink -smtp 127.0.0.1:PORT -http 127.0.0.1:PORT2
//	mailload publish -case ID
//
// prepare fills the configured database (LOSTINNL_* like the server, so
// sealed values open with the server's key): demo cases, every pending
// fan-out of the seeding expanded and its mail marked sent (so the test
// counts only the alert), the confirmed area subscribers (through the
// store's double opt-in, their confirmation mails marked sent), and cases
// ready to publish in the region, whose ids it writes to PENDING.
//
// sink is a loopback SMTP server (no TLS, no AUTH: the server is started
// with ?tls=none, which config allows only for loopback) that counts what
// it receives; GET / on its HTTP address answers "all alerts last" — all
// messages, those to the subscribers' domain, and the Unix time in
// nanoseconds of the last of those.
//
// publish makes one case public the way the moderator's button does
// (Store.TransitionCase; the route adds an audit entry and a redirect) and
// prints "START_UNIX_NANO ELAPSED_MS".
//
// Everything stays on loopback; the addresses are fictional
// (load-sub-N@subscribers.example.org, a reserved domain).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/emersion/go-smtp"

	"lostinnl/internal/config"
	"lostinnl/internal/demo"
	"lostinnl/internal/mail"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

// subscriberDomain is the domain of every subscriber address the test
// makes; the sink counts messages to it apart from anything else.
const subscriberDomain = "@subscribers.example.org"

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "prepare":
		err = prepareCmd(ctx, os.Args[2:])
	case "sink":
		err = sinkCmd(ctx, os.Args[2:])
	case "publish":
		err = publishCmd(ctx, os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailload:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: mailload prepare|sink|publish [flags]   (see the package comment; -h for flags)")
	os.Exit(2)
}

// open is the configured store with the server's field cipher, migrated.
func open(ctx context.Context) (*store.Store, *secrets.FieldCipher, func(), error) {
	cfg, err := config.Load(os.LookupEnv, "")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("configuration: %w", err)
	}
	keeper, err := secrets.OpenKeeper(ctx, cfg.SecretsKeeper, cfg.DataDir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open keeper: %w", err)
	}
	if err := cfg.ResolveSecrets(ctx, keeper); err != nil {
		_ = keeper.Close()
		return nil, nil, nil, fmt.Errorf("configuration: %w", err)
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, store.PoolOptions{})
	if err != nil {
		_ = keeper.Close()
		return nil, nil, nil, fmt.Errorf("open database: %w", err)
	}
	closeAll := func() { _ = st.Close(); _ = keeper.Close() }
	if _, err := st.Migrate(ctx); err != nil {
		closeAll()
		return nil, nil, nil, fmt.Errorf("migrate: %w", err)
	}
	f := secrets.NewFieldCipher(keeper, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	st.SetCipher(f)
	return st, f, closeAll, nil
}

func prepareCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("prepare", flag.ExitOnError)
	subs := fs.Int("subs", 10000, "confirmed area subscribers to create")
	region := fs.String("region", "Western", "their region, and the published cases'")
	cases := fs.Int("cases", 2000, "generated demo cases for the public pages (the showcase cases come on top)")
	publish := fs.Int("publish", 3, "cases to leave ready to publish in the region")
	idsPath := fs.String("ids", "", "write the public case ids here, one per line (required)")
	pendingPath := fs.String("pending", "", "write the ids of the cases to publish here (required)")
	_ = fs.Parse(args)
	if *idsPath == "" || *pendingPath == "" || *subs < 1 || *cases < 0 || *publish < 1 || fs.NArg() > 0 || !validRegion(*region) {
		fs.Usage()
		return errors.New("prepare needs -ids and -pending, -subs and -publish of at least 1, and a region of the contract")
	}
	st, f, closeAll, err := open(ctx)
	if err != nil {
		return err
	}
	defer closeAll()

	t := time.Now()
	added, err := demo.Seed(ctx, st, demo.Options{Extra: *cases})
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	logf("%d demo cases added in %s", added, since(t))
	if err := writeIDs(ctx, st, *idsPath); err != nil {
		return err
	}

	// Seeding published cases, and each publication recorded a fan-out
	// (area alerts, reporter notices). Expanded now, before there are
	// subscribers, and their mail marked sent: otherwise the server would
	// alert the test's subscribers of every seeded case in the region.
	keys, err := mail.LoadKeys(ctx, st, f.Keeper())
	if err != nil {
		return err
	}
	tpl, err := mail.LoadTemplates()
	if err != nil {
		return err
	}
	fan := &mail.Fanouts{Store: st, Opener: f, Keys: keys, Templates: tpl, BaseURL: "http://127.0.0.1", Owner: "mailload-prepare"}
	t = time.Now()
	n := 0
	for {
		did, err := fan.RunOnce(ctx)
		if err != nil {
			return fmt.Errorf("expand the seeding's fan-outs: %w", err)
		}
		if !did {
			break
		}
		n++
	}
	logf("%d fan-outs of the seeding expanded in %s", n, since(t))
	if err := settleOutbox(ctx, st); err != nil {
		return err
	}

	t = time.Now()
	have, err := countSubscribers(ctx, st, *region)
	if err != nil {
		return err
	}
	for i := have; i < *subs; i++ {
		req, err := mail.NewSubscribeRequest(keys, tpl, "http://127.0.0.1", "127.0.0.1",
			mail.SubscribeForm{Email: fmt.Sprintf("load-sub-%05d%s", i, subscriberDomain), Regions: []string{*region}}, time.Now())
		if err != nil {
			return err
		}
		res, err := st.Subscribe(ctx, req)
		if err != nil {
			return fmt.Errorf("subscriber %d: %w", i, err)
		}
		if res != store.SubscribeMailed {
			return fmt.Errorf("subscriber %d: subscribe answered %d, not 'mailed' (a database from an earlier day?)", i, res)
		}
		if _, _, err := st.ConfirmSubscription(ctx, req.ConfirmToken, time.Now()); err != nil {
			return fmt.Errorf("confirm subscriber %d: %w", i, err)
		}
	}
	logf("%d confirmed subscribers in %s (%d were there)", *subs, since(t), have)
	if err := settleOutbox(ctx, st); err != nil {
		return err
	}

	out, err := os.Create(*pendingPath)
	if err != nil {
		return fmt.Errorf("create pending file: %w", err)
	}
	defer out.Close()
	for i := range *publish {
		id, err := st.CreateCase(ctx, fictionalCase(i, *region), store.ReporterContact{}, nil, nil)
		if err != nil {
			return fmt.Errorf("create a case to publish: %w", err)
		}
		fmt.Fprintln(out, id)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("write pending file: %w", err)
	}
	left, err := st.CountPendingFanouts(ctx)
	if err != nil {
		return err
	}
	if left != 0 {
		return fmt.Errorf("%d fan-outs still pending after preparing", left)
	}
	return nil
}

func validRegion(r string) bool {
	for _, x := range store.Regions {
		if x == r {
			return true
		}
	}
	return false
}

// countSubscribers counts the confirmed subscribers of region (a re-run
// on a kept data dir adds only the missing ones).
func countSubscribers(ctx context.Context, st *store.Store, region string) (int, error) {
	n := 0
	var after int64
	for {
		page, err := st.AreaSubscribers(ctx, region, after, 1000)
		if err != nil {
			return 0, fmt.Errorf("count subscribers: %w", err)
		}
		n += len(page)
		if len(page) < 1000 {
			return n, nil
		}
		after = page[len(page)-1].ID
	}
}

// settleOutbox marks everything queued as sent: mail of the preparation
// (demo reporters' notices, the subscribers' confirmation mails) is not
// what the test measures and must not reach the sink.
func settleOutbox(ctx context.Context, st *store.Store) error {
	t := time.Now()
	n := 0
	for {
		msgs, err := st.ClaimOutbox(ctx, "mailload-prepare", 1000, time.Hour)
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			break
		}
		for _, m := range msgs {
			if err := st.MarkMailSent(ctx, m.ID); err != nil {
				return err
			}
			n++
		}
	}
	logf("%d preparation messages marked sent in %s", n, since(t))
	return nil
}

func fictionalCase(i int, region string) *store.Case {
	age := 30 + i
	return &store.Case{
		FullName: fmt.Sprintf("Loadtest Fictional %d", i+1), Age: &age, Sex: "female",
		LastSeenDate: time.Now().UTC().Truncate(24 * time.Hour), LastSeenPlace: "Main Street", Community: "Corner Brook",
		Region: region, Circumstances: "A fictional case of the mail load test.",
		PoliceAgency: "RNC", PoliceFileNumber: fmt.Sprintf("LOAD-MAIL-%d-%d", time.Now().Unix(), i), PolicePhone: "709-555-0100",
		PoliceVerified: true,
	}
}

// writeIDs writes the ids of the public cases, for random_case.lua.
func writeIDs(ctx context.Context, st *store.Store, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create ids file: %w", err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	count := 0
	for page := 1; ; page++ {
		res, err := st.SearchCases(ctx, store.CaseQuery{
			Statuses: []store.Status{store.StatusMissing, store.StatusLocated}, Sort: store.SortName, Page: page, PerPage: 100,
		})
		if err != nil {
			return fmt.Errorf("list public cases (page %d): %w", page, err)
		}
		if len(res.Cases) == 0 {
			break
		}
		for _, c := range res.Cases {
			fmt.Fprintln(w, c.ID)
			count++
		}
	}
	if count == 0 {
		return errors.New("no public cases after seeding")
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write ids file: %w", err)
	}
	logf("%d public case ids written", count)
	return f.Close()
}

func publishCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("publish", flag.ExitOnError)
	id := fs.Int64("case", 0, "id of the pending case to publish")
	_ = fs.Parse(args)
	if *id <= 0 || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("publish needs -case")
	}
	st, _, closeAll, err := open(ctx)
	if err != nil {
		return err
	}
	defer closeAll()
	start := time.Now()
	if err := st.TransitionCase(ctx, *id, store.StatusMissing, "", nil); err != nil {
		return fmt.Errorf("publish case %d: %w", *id, err)
	}
	elapsed := time.Since(start)
	fmt.Printf("%d %.1f\n", start.UnixNano(), float64(elapsed.Microseconds())/1000)
	return nil
}

// sink counts what the SMTP server receives.
type sink struct {
	all, alerts atomic.Int64
	last        atomic.Int64 // Unix nanoseconds of the last alert
}

func sinkCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sink", flag.ExitOnError)
	smtpAddr := fs.String("smtp", "127.0.0.1:2525", "SMTP listener (loopback)")
	httpAddr := fs.String("http", "127.0.0.1:2526", "counter listener (loopback)")
	_ = fs.Parse(args)
	for _, a := range []string{*smtpAddr, *httpAddr} {
		host, _, err := net.SplitHostPort(a)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("%q: only a loopback address", a)
		}
	}
	sl, err := net.Listen("tcp", *smtpAddr)
	if err != nil {
		return err
	}
	hl, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		_ = sl.Close()
		return err
	}
	logf("sink: SMTP on %s, counts on http://%s/", *smtpAddr, *httpAddr)
	k := serveSink(ctx, sl, hl)
	logf("sink: %d messages, %d alerts", k.all.Load(), k.alerts.Load())
	return nil
}

// serveSink serves SMTP on sl and the counts on hl until ctx ends.
func serveSink(ctx context.Context, sl, hl net.Listener) *sink {
	k := &sink{}
	srv := smtp.NewServer(k)
	srv.Domain = "sink.localhost"
	srv.MaxMessageBytes = 1 << 20
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	hs := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "%d %d %d\n", k.all.Load(), k.alerts.Load(), k.last.Load())
	})}
	go func() { _ = srv.Serve(sl) }()
	go func() { _ = hs.Serve(hl) }()
	<-ctx.Done()
	_ = srv.Close()
	_ = hs.Close()
	return k
}

func (k *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{k: k}, nil }

type sinkSession struct {
	k  *sink
	to []string
}

func (s *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data reads the message (the client must send all of it) and counts it
// once per recipient.
func (s *sinkSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	for _, to := range s.to {
		s.k.all.Add(1)
		if strings.HasSuffix(to, subscriberDomain) {
			s.k.alerts.Add(1)
			s.k.last.Store(time.Now().UnixNano())
		}
	}
	return nil
}

func (s *sinkSession) Reset()        { s.to = nil }
func (s *sinkSession) Logout() error { return nil }

func logf(format string, a ...any) { fmt.Fprintf(os.Stderr, "mailload: "+format+"\n", a...) }

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }
