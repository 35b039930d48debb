package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/mail"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"lostinnl/internal/mail/smtpurl"
	"lostinnl/internal/store"
)

// Outbox is the part of the store the sender uses.
type Outbox interface {
	ClaimOutbox(ctx context.Context, owner string, limit int, lease time.Duration) ([]store.OutboxMessage, error)
	MarkMailsSent(ctx context.Context, ids ...int64) error
	RetryMail(ctx context.Context, id int64, owner string, at time.Time, reason string) (bool, error)
	FailMail(ctx context.Context, id int64, owner, reason string) (bool, error)
}

// Opener opens sealed values (a *secrets.FieldCipher).
type Opener interface {
	OpenRow(ctx context.Context, sealed []byte, table, column string, rowID int64, token []byte) ([]byte, error)
}

// Results of one send attempt, the label values of the attempts metric.
const (
	ResultSent      = "sent"
	ResultTemporary = "temporary" // 4xx: retried later
	ResultPermanent = "permanent" // 5xx or a message that cannot be built: failed
	ResultNetwork   = "network"   // connection lost or refused: retried later
	ResultExhausted = "exhausted" // a temporary failure on the last allowed attempt: failed
)

// Sender delivers the outbox over SMTP. Construct it with every field
// that has no documented default; Run until the context ends.
type Sender struct {
	Outbox Outbox
	Opener Opener
	Server smtpurl.Server
	From   *mail.Address
	// Owner names this sender in leases: unique per process.
	Owner string
	// TLSConfig is the base TLS configuration (nil: system roots). Its
	// ServerName is always set to the server's host.
	TLSConfig *tls.Config
	// LocalName is sent in EHLO ("" = "localhost").
	LocalName string

	Batch       int           // messages claimed at once; default 100
	Lease       time.Duration // how long a claimed batch is ours; default 10 min
	MaxAttempts int           // attempts before "failed"; default 8
	Poll        time.Duration // wait when the outbox is empty; default 5 s
	// Backoff is the wait before attempt n+1 after a temporary failure
	// of attempt n; default: 1 min doubling per attempt, capped at 2 h,
	// with jitter (a random 50-100 % of it), so retries of many messages
	// after one outage do not all land at once.
	Backoff func(attempt int) time.Duration
	// Pace, when set, spaces deliveries out (LOSTINNL_MAIL_RATE): a mail
	// provider's per-second quota, and CPU left for the site while a large
	// alert goes out. nil: as fast as the server takes them.
	Pace *Pacer
	// Attempt, when set, is told the result of every attempt (metrics).
	Attempt func(result string)
	Logger  *slog.Logger
	// DialTimeout bounds connecting (default 30 s); CommandTimeout each
	// SMTP command (default 2 min).
	DialTimeout    time.Duration
	CommandTimeout time.Duration

	paid int // deliveries already paced for (see pace)
}

// DefaultBackoff is the Backoff used when none is set.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Minute
	for i := 1; i < attempt && d < 2*time.Hour; i++ {
		d *= 2
	}
	d = min(d, 2*time.Hour)
	return d/2 + rand.N(d/2+1)
}

func (s *Sender) defaults() {
	if s.Batch <= 0 {
		s.Batch = 100
	}
	if s.Lease <= 0 {
		s.Lease = 10 * time.Minute
	}
	if s.Pace != nil && s.Pace.Rate > 0 {
		// A paced batch holds at most a minute of sending, so at a low rate
		// its lease (minutes) cannot run out mid-batch and hand the rest to
		// another sender while this one still sends them.
		s.Batch = max(1, min(s.Batch, int(s.Pace.Rate*60)))
	}
	if s.MaxAttempts <= 0 {
		s.MaxAttempts = 8
	}
	if s.Poll <= 0 {
		s.Poll = 5 * time.Second
	}
	if s.Backoff == nil {
		s.Backoff = DefaultBackoff
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.DialTimeout <= 0 {
		s.DialTimeout = 30 * time.Second
	}
	if s.CommandTimeout <= 0 {
		s.CommandTimeout = 2 * time.Minute
	}
}

// Run sends until ctx ends. Errors of one round are logged and the loop
// goes on (the database or the mail server may come back).
func (s *Sender) Run(ctx context.Context) error {
	s.defaults()
	for {
		n, err := s.SendBatch(ctx)
		if err != nil && ctx.Err() == nil {
			s.Logger.Warn("mail sender", slog.String("error", err.Error()))
		}
		if n > 0 && err == nil {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(s.Poll):
		}
	}
}

// SendBatch claims one batch and tries each message once, over one
// connection. It returns how many it claimed.
func (s *Sender) SendBatch(ctx context.Context) (int, error) {
	s.defaults()
	msgs, err := s.Outbox.ClaimOutbox(ctx, s.Owner, s.Batch, s.Lease)
	if err != nil {
		return 0, err
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	var c *smtp.Client
	defer func() {
		if c != nil {
			_ = c.Quit() // the messages are settled; a failed QUIT changes nothing
			_ = c.Close()
		}
	}()
	var firstErr, connErr error
	// Deliveries are recorded a pace burst at a time (one write, not one
	// per message); a crash before the write means at most that many
	// duplicates with their Message-IDs, never a loss.
	var sent []int64
	markSent := func(ctx context.Context) {
		if len(sent) == 0 {
			return
		}
		if err := s.Outbox.MarkMailsSent(ctx, sent...); err != nil {
			// Sent but not marked: after the lease they are sent again
			// with the same Message-IDs (duplicates, never a loss).
			firstErr = cmp(firstErr, err)
		}
		sent = sent[:0]
	}
	for i := range msgs {
		m := &msgs[i]
		if ctx.Err() != nil {
			// Shutting down: the rest go back to the queue right away
			// rather than waiting for the lease to run out.
			s.retry(context.WithoutCancel(ctx), m, 0, "sender stopped", ResultNetwork)
			continue
		}
		raw, to, err := s.build(ctx, m)
		if err != nil {
			s.fail(ctx, m, err.Error(), ResultPermanent)
			continue
		}
		if connErr != nil {
			// The server could not be reached for this batch: the rest
			// wait for the next round instead of each paying a connect
			// timeout of its own.
			s.requeue(ctx, m, "not sent: "+connErr.Error())
			continue
		}
		if c == nil {
			if c, err = s.connect(ctx); err != nil {
				// The server is unreachable or refused us as a client
				// (even a 5xx here, e.g. bad credentials, is about the
				// connection, not this message): retry later.
				connErr = fmt.Errorf("connect: %w", err)
				s.retryOrFail(ctx, m, connErr.Error(), ResultNetwork)
				firstErr = cmp(firstErr, connErr)
				c = nil
				continue
			}
		}
		if err := s.pace(ctx); err != nil {
			// Stopped while waiting for our turn: not tried, back in the
			// queue at once like the rest of the batch.
			s.retry(context.WithoutCancel(ctx), m, 0, "sender stopped", ResultNetwork)
			continue
		}
		err = s.deliver(c, to, raw)
		var se *smtp.SMTPError
		switch {
		case err == nil:
			if s.Attempt != nil {
				s.Attempt(ResultSent)
			}
			if sent = append(sent, m.ID); len(sent) >= s.markEvery() {
				markSent(ctx)
			}
		case errors.As(err, &se) && se.Code >= 500:
			s.fail(ctx, m, se.Error(), ResultPermanent)
			if c.Reset() != nil {
				_ = c.Close()
				c = nil
			}
		case errors.As(err, &se) && se.Code >= 400:
			s.retryOrFail(ctx, m, se.Error(), ResultTemporary)
			if se.Code == 421 || c.Reset() != nil {
				_ = c.Close() // 421: the server is closing the connection
				c = nil
			}
		default:
			// Network: the connection is gone (possibly mid-DATA, so the
			// server may or may not have the message: retrying risks a
			// duplicate with the same Message-ID, never a loss).
			s.retryOrFail(ctx, m, err.Error(), ResultNetwork)
			_ = c.Close()
			c = nil
		}
	}
	markSent(context.WithoutCancel(ctx))
	return len(msgs), firstErr
}

// pace waits for the sender's turn. Units are taken a burst at a time
// (a tenth of a second's worth at the default), so the sender sleeps and
// wakes once per burst rather than once per message: with one timer and
// several goroutine hand-offs per wake-up, per-message sleeping costs
// about as much CPU as the sending itself.
func (s *Sender) pace(ctx context.Context) error {
	if s.Pace == nil || s.Pace.Rate <= 0 {
		return ctx.Err()
	}
	if s.paid == 0 {
		n := max(1, int(s.Pace.Burst))
		if err := s.Pace.Wait(ctx, n); err != nil {
			return err
		}
		s.paid = n
	}
	s.paid--
	return ctx.Err()
}

// markEvery is how many deliveries are recorded at once: a pace burst
// (recorded just before the sender waits for the next), or each one when
// the sender is not paced.
func (s *Sender) markEvery() int {
	if s.Pace == nil || s.Pace.Rate <= 0 {
		return 1
	}
	return max(1, int(s.Pace.Burst))
}

func cmp(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// build opens the recipient and renders the message.
func (s *Sender) build(ctx context.Context, m *store.OutboxMessage) ([]byte, string, error) {
	to, err := s.Opener.OpenRow(ctx, m.Recipient, "outbox", "recipient", m.ID, m.SealToken)
	if err != nil {
		return nil, "", fmt.Errorf("recipient cannot be opened: %w", err)
	}
	raw, err := Build(Message{
		From: s.From, To: string(to), Subject: m.Subject, Text: m.Text, HTML: m.HTML,
		MessageID: m.MessageID, UnsubscribeURL: m.UnsubscribeURL, Date: time.Now(),
	})
	if err != nil {
		return nil, "", err
	}
	return raw, string(to), nil
}

func (s *Sender) connect(ctx context.Context) (*smtp.Client, error) {
	d := net.Dialer{Timeout: s.DialTimeout}
	conn, err := d.DialContext(ctx, "tcp", s.Server.Addr())
	if err != nil {
		return nil, err
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLSConfig != nil {
		tc = s.TLSConfig.Clone()
	}
	tc.ServerName = s.Server.Host
	var c *smtp.Client
	switch s.Server.TLS {
	case smtpurl.TLSImplicit:
		c = smtp.NewClient(tls.Client(conn, tc))
	case smtpurl.TLSStartTLS:
		c, err = smtp.NewClientStartTLS(conn, tc)
		if err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("starttls: %w", err)
		}
	default:
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout = s.CommandTimeout
	c.SubmissionTimeout = s.CommandTimeout
	if s.LocalName != "" {
		if err := c.Hello(s.LocalName); err != nil {
			_ = c.Close()
			return nil, err
		}
	}
	if s.Server.Username != "" {
		var a sasl.Client
		if s.Server.Auth == smtpurl.AuthLogin {
			a = sasl.NewLoginClient(s.Server.Username, s.Server.Password)
		} else {
			a = sasl.NewPlainClient("", s.Server.Username, s.Server.Password)
		}
		if err := c.Auth(a); err != nil {
			_ = c.Close()
			return nil, fmt.Errorf("auth: %w", err)
		}
	}
	return c, nil
}

func (s *Sender) deliver(c *smtp.Client, to string, raw []byte) error {
	if err := c.Mail(s.From.Address, nil); err != nil {
		return err
	}
	if err := c.Rcpt(to, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

func (s *Sender) fail(ctx context.Context, m *store.OutboxMessage, reason, result string) {
	if s.Attempt != nil {
		s.Attempt(result)
	}
	if _, err := s.Outbox.FailMail(ctx, m.ID, s.Owner, reason); err != nil {
		s.Logger.Warn("mark mail failed", slog.Int64("outbox_id", m.ID), slog.String("error", err.Error()))
	}
	s.Logger.Warn("mail failed", slog.Int64("outbox_id", m.ID), slog.String("kind", m.Kind), slog.String("reason", reason))
}

func (s *Sender) retryOrFail(ctx context.Context, m *store.OutboxMessage, reason, result string) {
	if m.Attempts >= s.MaxAttempts {
		s.fail(ctx, m, fmt.Sprintf("gave up after %d attempts: %s", m.Attempts, reason), ResultExhausted)
		return
	}
	s.retry(ctx, m, s.Backoff(m.Attempts), reason, result)
}

// requeue puts a message that was claimed but not tried back in the
// queue, due after the usual wait; no attempt is recorded.
func (s *Sender) requeue(ctx context.Context, m *store.OutboxMessage, reason string) {
	if _, err := s.Outbox.RetryMail(ctx, m.ID, s.Owner, time.Now().Add(s.Backoff(m.Attempts)), reason); err != nil {
		s.Logger.Warn("requeue mail", slog.Int64("outbox_id", m.ID), slog.String("error", err.Error()))
	}
}

func (s *Sender) retry(ctx context.Context, m *store.OutboxMessage, wait time.Duration, reason, result string) {
	if s.Attempt != nil {
		s.Attempt(result)
	}
	if _, err := s.Outbox.RetryMail(ctx, m.ID, s.Owner, time.Now().Add(wait), reason); err != nil {
		s.Logger.Warn("requeue mail", slog.Int64("outbox_id", m.ID), slog.String("error", err.Error()))
	}
}
