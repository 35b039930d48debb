package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func testMail(i int) Mail {
	return Mail{
		MessageID: fmt.Sprintf("m%d@lostinnl.test", i),
		Kind:      "test",
		To:        fmt.Sprintf("person%d@example.org", i),
		Subject:   fmt.Sprintf("Subject %d", i),
		Text:      "text body",
		HTML:      "<p>html body</p>",
	}
}

func TestOutboxEnqueueClaimSend(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		n, err := s.Enqueue(ctx, testMail(1), testMail(2))
		if err != nil || n != 2 {
			t.Fatalf("enqueue: %d, %v", n, err)
		}
		// The same Message-ID again queues nothing.
		if n, err := s.Enqueue(ctx, testMail(1)); err != nil || n != 0 {
			t.Fatalf("duplicate enqueue: %d, %v", n, err)
		}
		// The recipient is sealed: no plaintext address in the table.
		_, rows := queryStrings(t, s, "SELECT recipient FROM outbox")
		for _, r := range rows {
			if strings.Contains(r[0], "example.org") {
				t.Fatal("recipient stored in plaintext")
			}
		}
		st, err := s.OutboxStats(ctx)
		if err != nil || st.ByState[MailQueued] != 2 || st.OldestQueued.IsZero() {
			t.Fatalf("stats %+v, %v", st, err)
		}

		got, err := s.ClaimOutbox(ctx, "a", 10, time.Minute)
		if err != nil || len(got) != 2 {
			t.Fatalf("claim: %d, %v", len(got), err)
		}
		m := got[0]
		if m.State != MailSending || m.Attempts != 1 || m.LeaseOwner != "a" || m.MessageID != "m1@lostinnl.test" {
			t.Fatalf("claimed %+v", m)
		}
		to, err := s.fieldCipher().(*testCipher).open(m.Recipient, "outbox", "recipient", m.ID, m.SealToken)
		if err != nil || to != "person1@example.org" {
			t.Fatalf("recipient opens to %q, %v", to, err)
		}
		// Leased rows are not handed out again.
		if again, err := s.ClaimOutbox(ctx, "b", 10, time.Minute); err != nil || len(again) != 0 {
			t.Fatalf("second claim got %d, %v", len(again), err)
		}
		if err := s.MarkMailSent(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		// Another owner cannot release a row it does not hold.
		if ok, err := s.RetryMail(ctx, got[1].ID, "b", time.Now(), "x"); err != nil || ok {
			t.Fatalf("retry by non-owner: %v, %v", ok, err)
		}
		// Retry later: not due now, due after its time.
		if ok, err := s.RetryMail(ctx, got[1].ID, "a", time.Now().Add(time.Hour), "451 try later"); err != nil || !ok {
			t.Fatalf("retry: %v, %v", ok, err)
		}
		if again, _ := s.ClaimOutbox(ctx, "a", 10, time.Minute); len(again) != 0 {
			t.Fatal("message due in an hour claimed now")
		}
		if _, err := s.wdb.ExecContext(ctx, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", dbTime(now().Add(-time.Second)), got[1].ID); err != nil {
			t.Fatal(err)
		}
		again, err := s.ClaimOutbox(ctx, "a", 10, time.Minute)
		if err != nil || len(again) != 1 || again[0].Attempts != 2 || again[0].LastError != "451 try later" {
			t.Fatalf("reclaim: %+v, %v", again, err)
		}
		if ok, err := s.FailMail(ctx, again[0].ID, "a", "550 no such user"); err != nil || !ok {
			t.Fatalf("fail: %v, %v", ok, err)
		}
		// A sent message is never put back by a late retry.
		if ok, _ := s.RetryMail(ctx, m.ID, "a", time.Now(), "late"); ok {
			t.Fatal("sent message re-queued")
		}
		st, err = s.OutboxStats(ctx)
		if err != nil || st.ByState[MailSent] != 1 || st.ByState[MailFailed] != 1 || st.ByState[MailQueued] != 0 || !st.OldestQueued.IsZero() {
			t.Fatalf("stats %+v, %v", st, err)
		}
		list, total, err := s.ListOutbox(ctx, OutboxFilter{State: MailFailed})
		if err != nil || total != 1 || list[0].LastError != "550 no such user" {
			t.Fatalf("list failed: %+v %d %v", list, total, err)
		}
		// An admin may send a failed message again.
		if err := s.RequeueMail(ctx, again[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.RequeueMail(ctx, again[0].ID, nil), ErrNotFound)
		if got, _ := s.GetOutboxMessage(ctx, again[0].ID); got.State != MailQueued || got.Attempts != 0 {
			t.Fatalf("requeued %+v", got)
		}
	})
}

// TestOutboxExpiredLeaseIsReclaimed: a sender that died holding messages
// does not lose them: once its lease runs out another sender takes them.
func TestOutboxExpiredLeaseIsReclaimed(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		if _, err := s.Enqueue(ctx, testMail(1)); err != nil {
			t.Fatal(err)
		}
		got, err := s.ClaimOutbox(ctx, "dead", 10, time.Minute)
		if err != nil || len(got) != 1 {
			t.Fatal(len(got), err)
		}
		if _, err := s.wdb.ExecContext(ctx, "UPDATE outbox SET lease_until = ?", dbTime(now().Add(-time.Second))); err != nil {
			t.Fatal(err)
		}
		again, err := s.ClaimOutbox(ctx, "alive", 10, time.Minute)
		if err != nil || len(again) != 1 || again[0].Attempts != 2 || again[0].LeaseOwner != "alive" {
			t.Fatalf("reclaim %+v, %v", again, err)
		}
		// The dead sender's late verdict no longer counts.
		if ok, _ := s.FailMail(ctx, got[0].ID, "dead", "x"); ok {
			t.Fatal("former owner failed a message it no longer holds")
		}
	})
}

// TestOutboxMarkMailsSent: several deliveries recorded at once are sent,
// with their leases cleared; the others are left alone, and no ids is no
// write.
func TestOutboxMarkMailsSent(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		if _, err := s.Enqueue(ctx, testMail(1), testMail(2), testMail(3)); err != nil {
			t.Fatal(err)
		}
		got, err := s.ClaimOutbox(ctx, "a", 10, time.Minute)
		if err != nil || len(got) != 3 {
			t.Fatal(len(got), err)
		}
		if err := s.MarkMailsSent(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkMailsSent(ctx, got[0].ID, got[2].ID); err != nil {
			t.Fatal(err)
		}
		st, err := s.OutboxStats(ctx)
		if err != nil || st.ByState[MailSent] != 2 || st.ByState[MailSending] != 1 {
			t.Fatalf("states %v, %v; want 2 sent, 1 sending", st.ByState, err)
		}
		for _, m := range []int64{got[0].ID, got[2].ID} {
			msg, err := s.GetOutboxMessage(ctx, m)
			if err != nil || msg.State != MailSent || msg.LeaseOwner != "" || msg.SentAt == nil {
				t.Fatalf("message %d after marking: %+v, %v", m, msg, err)
			}
		}
		// Sent is final: the holder's late retry does not put it back.
		if ok, err := s.RetryMail(ctx, got[0].ID, "a", time.Now(), "x"); err != nil || ok {
			t.Fatalf("retry of a sent message: %v, %v", ok, err)
		}
	})
}

// TestOutboxConcurrentClaims: senders claiming at once never get the same
// message.
func TestOutboxConcurrentClaims(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		const total = 300
		var msgs []Mail
		for i := range total {
			msgs = append(msgs, testMail(i))
		}
		if _, err := s.Enqueue(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 8 {
			owner := fmt.Sprintf("w%d", w)
			wg.Go(func() {
				for {
					got, err := s.ClaimOutbox(ctx, owner, 7, time.Minute)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, m := range got {
						if prev, dup := seen[m.ID]; dup {
							errs <- fmt.Errorf("message %d claimed by %s and %s", m.ID, prev, owner)
						}
						seen[m.ID] = owner
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(seen) != total {
			t.Fatalf("claimed %d of %d", len(seen), total)
		}
	})
}

func TestOutboxRefusesBadMail(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		for name, mod := range map[string]func(*Mail){
			"CRLF in subject":  func(m *Mail) { m.Subject = "hi\r\nBcc: victim@example.org" },
			"LF in recipient":  func(m *Mail) { m.To = "a@example.org\nBcc: b@example.org" },
			"CR in unsub url":  func(m *Mail) { m.UnsubscribeURL = "https://x/\rX: y" },
			"no message id":    func(m *Mail) { m.MessageID = "" },
			"100 KB recipient": func(m *Mail) { m.To = strings.Repeat("a", 100<<10) + "@example.org" },
			"bad UTF-8":        func(m *Mail) { m.Subject = "\xff\xfe" },
			"no text":          func(m *Mail) { m.Text = "" },
		} {
			m := testMail(1)
			mod(&m)
			if _, err := s.Enqueue(ctx, m); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: err = %v, want ErrInvalid", name, err)
			}
		}
		s.SetCipher(nil)
		if _, err := s.Enqueue(ctx, testMail(1)); !errors.Is(err, ErrNoCipher) {
			t.Errorf("no cipher: %v", err)
		}
		if st, _ := s.OutboxStats(ctx); st.ByState[MailQueued] != 0 {
			t.Fatal("a refused message was queued")
		}
	})
}

func TestSupportsSkipLocked(t *testing.T) {
	for v, want := range map[string]bool{
		"10.11.19-MariaDB-0+deb12u1": true,
		"10.6.0-MariaDB":             true,
		"10.5.23-MariaDB":            false,
		"8.0.36":                     true,
		"8.0.0":                      false,
		"5.7.44-log":                 false,
		"garbage":                    false,
	} {
		if got := supportsSkipLocked(v); got != want {
			t.Errorf("%q: %v, want %v", v, got, want)
		}
	}
}

// TestOutboxOnePersonMailFirst: a confirmation queued after thousands of
// area alerts is the next message sent, not the last (issue 16).
func TestOutboxOnePersonMailFirst(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		var bulk []Mail
		for i := range 5 {
			m := testMail(i)
			m.Bulk = true
			bulk = append(bulk, m)
		}
		if n, err := s.Enqueue(ctx, bulk...); err != nil || n != 5 {
			t.Fatalf("enqueue bulk: %d, %v", n, err)
		}
		// Later (a later next_attempt_at as well as a later id).
		time.Sleep(5 * time.Millisecond)
		if n, err := s.Enqueue(ctx, testMail(10), testMail(11)); err != nil || n != 2 {
			t.Fatalf("enqueue: %d, %v", n, err)
		}
		got, err := s.ClaimOutbox(ctx, "a", 3, time.Minute)
		if err != nil || len(got) != 3 {
			t.Fatalf("claim: %d, %v", len(got), err)
		}
		var ids []string
		for _, m := range got {
			ids = append(ids, m.MessageID)
		}
		if strings.Join(ids, " ") != "m10@lostinnl.test m11@lostinnl.test m0@lostinnl.test" {
			t.Fatalf("claimed %v, want the two one-person messages, then the oldest bulk one", ids)
		}
	})
}
