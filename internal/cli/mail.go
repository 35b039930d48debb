package cli

import (
	"context"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"lostinnl/internal/config"
	"lostinnl/internal/mail"
	"lostinnl/internal/mail/smtpurl"
	"lostinnl/internal/retention"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
	"lostinnl/internal/telemetry"
)

const (
	// fanoutPoll: how often new events are looked for. An event is mailed
	// within this (plus the sender's poll) of its commit.
	fanoutPoll = 2 * time.Second
	// mailStatsInterval: how often the outbox is counted for the metrics
	// (a scrape reads the cached count, never the database).
	mailStatsInterval = 15 * time.Second
	// mailCleanupInterval: unconfirmed subscriptions (48 h), old fan-outs
	// and old sent mail are deleted this often.
	mailCleanupInterval = time.Hour
	// fanoutPaceFactor: the fan-out queues at most this many times
	// LOSTINNL_MAIL_RATE messages a second. Faster than the sender, so
	// the sender never finds the outbox empty mid-alert (it would then
	// wait its poll), but paced, so a large alert's expansion is spread
	// over its sending time instead of taking the CPU in one go.
	fanoutPaceFactor = 2
	// fanoutBatch: recipients expanded per transaction.
	fanoutBatch = 100
	// sentMailRetention: how long a sent or failed message (its sealed
	// recipient included) stays readable at /admin/outbox.
	sentMailRetention = mail.SentRetention
)

// mailer is the mail side of `serve`: the fan-out worker always (so with
// no SMTP configured the outbox still shows what would be sent), the SMTP
// sender when LOSTINNL_SMTP_URL is set, the outbox metrics and the mail
// clean-ups. Keys and Templates are what the web layer's subscription
// forms need (mail.NewSubscribeRequest).
type mailer struct {
	Keys      *mail.Keys
	Templates *mail.Templates
	fan       *mail.Fanouts
	sender    *mail.Sender // nil: mail is not configured
	idle      string       // why sender is nil, logged once serving starts
	st        *store.Store
	stats     atomic.Pointer[telemetry.MailStats]
	logger    *slog.Logger
}

// In demo mode nothing is sent even with SMTP configured: the demo cases'
// reporters are fictional (their addresses are at example.org), and a
// demo must never mail anyone.
func newMailer(ctx context.Context, cfg *config.Config, st *store.Store, keeper *secrets.Keeper, cipher *secrets.FieldCipher, metrics *telemetry.Metrics, demo bool, logger *slog.Logger) (*mailer, error) {
	keys, err := mail.LoadKeys(ctx, st, keeper)
	if err != nil {
		return nil, fmt.Errorf("%w (if the keeper was replaced, list the old one after the new one in LOSTINNL_SECRETS_KEEPER)", err)
	}
	tpl, err := mail.LoadTemplates()
	if err != nil {
		return nil, err
	}
	m := &mailer{Keys: keys, Templates: tpl, st: st, logger: logger}
	m.stats.Store(&telemetry.MailStats{})
	attempt, err := metrics.RegisterMail(func() telemetry.MailStats { return *m.stats.Load() })
	if err != nil {
		return nil, err
	}
	holder := retention.NewHolder()
	m.fan = &mail.Fanouts{Store: st, Opener: cipher, Keys: keys, Templates: tpl, BaseURL: cfg.BaseURL, Owner: holder, Logger: logger}
	// The fan-out is paced even with no SMTP configured: expanding takes
	// the same CPU whether or not the messages are sent afterwards.
	// Batches of fanoutBatch keep each of its transactions short: on
	// SQLite it holds the one writer meanwhile, and a sender kept waiting
	// longer than its burst loses that sending time for good. Its burst
	// is one batch, so a small event (a report for the staff, one
	// reporter) is queued at once.
	m.fan.Batch = fanoutBatch
	m.fan.Pace = &mail.Pacer{Rate: float64(fanoutPaceFactor * cfg.MailRate), Burst: fanoutBatch}
	switch {
	case cfg.SMTPURL == "":
		m.idle = "mail is not configured (LOSTINNL_SMTP_URL): messages stay in the outbox"
		return m, nil
	case demo:
		m.idle = "demo mode: mail is not sent; messages stay in the outbox"
		return m, nil
	}
	server, err := smtpurl.Parse(cfg.SMTPURL)
	if err != nil { // config checked it; only a bug gets here
		return nil, fmt.Errorf("LOSTINNL_SMTP_URL: %w", err)
	}
	from, err := netmail.ParseAddress(cfg.MailFrom)
	if err != nil {
		return nil, fmt.Errorf("LOSTINNL_MAIL_FROM: %w", err)
	}
	m.sender = &mail.Sender{
		Outbox: st, Opener: cipher, Server: server, From: from, Owner: holder,
		Attempt: attempt, Logger: logger, LocalName: hostOf(cfg.BaseURL),
		// Looks for new mail as often as the fan-out looks for new events
		// (an idle look is one short transaction), so an alert starts
		// going out about 2 s after it is queued rather than up to 5 s.
		Poll: fanoutPoll,
		// A tenth of a second of quota at once: the sender wakes ten
		// times a second, not once per message (which about doubled its
		// CPU per message), and absorbs the timers' lateness; in any one
		// second at most a tenth above the rate (set the key a little
		// under a hard provider quota).
		Pace: &mail.Pacer{Rate: float64(cfg.MailRate), Burst: max(1, float64(cfg.MailRate)/10)},
	}
	return m, nil
}

// start runs the mail loops until the returned stop is called; stop waits
// for them, so the store is closed only after their last query.
func (m *mailer) start() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { m.fan.Run(ctx, fanoutPoll) })
	if m.sender != nil {
		wg.Go(func() { _ = m.sender.Run(ctx) })
	} else {
		m.logger.Info(m.idle)
	}
	wg.Go(func() {
		tick := time.NewTicker(mailStatsInterval)
		defer tick.Stop()
		for {
			m.refreshStats(ctx)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
	wg.Go(func() {
		tick := time.NewTicker(mailCleanupInterval)
		defer tick.Stop()
		for {
			m.cleanup(ctx, time.Now())
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

func (m *mailer) refreshStats(ctx context.Context) {
	s, err := m.st.OutboxStats(ctx)
	if err != nil {
		if ctx.Err() == nil {
			m.logger.Warn("outbox stats", slog.String("error", err.Error()))
		}
		return
	}
	snap := telemetry.MailStats{ByState: map[string]int{}}
	for state, n := range s.ByState {
		snap.ByState[string(state)] = n
	}
	if !s.OldestQueued.IsZero() {
		snap.OldestQueuedSeconds = time.Since(s.OldestQueued).Seconds()
	}
	m.stats.Store(&snap)
}

// cleanup deletes what the mail pipeline no longer needs. Idempotent
// deletes of expired rows: safe when several instances run it.
func (m *mailer) cleanup(ctx context.Context, now time.Time) {
	warn := func(what string, err error) {
		if err != nil && ctx.Err() == nil {
			m.logger.Warn(what, slog.String("error", err.Error()))
		}
	}
	_, err := m.st.DeleteUnconfirmedSubscriptions(ctx, now)
	warn("delete unconfirmed subscriptions", err)
	warn("delete done fan-outs", m.st.DeleteDoneFanouts(ctx, now.Add(-sentMailRetention)))
	_, err = m.st.DeleteSentMail(ctx, now.Add(-sentMailRetention))
	warn("delete sent mail", err)
}

func hostOf(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}
