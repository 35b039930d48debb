package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// testIndex stands in for the keyed blind index (internal/mail computes
// the real one).
func testIndex(email string) []byte {
	h := sha256.Sum256([]byte("test-index:" + email))
	return h[:]
}

var confirmSeq int

func subReq(email string, caseID int64, regions []string, at time.Time) SubscribeRequest {
	confirmSeq++
	return SubscribeRequest{
		Email: email, EmailIndex: testIndex(email), CaseID: caseID, Regions: regions,
		ConfirmToken: fmt.Sprintf("confirm-token-%d-abcdefghijklmnop", confirmSeq),
		Confirm: Mail{
			MessageID: fmt.Sprintf("confirm-%d@lostinnl.test", confirmSeq), Kind: "subscription_confirm",
			To: email, Subject: "Confirm", Text: "confirm",
		},
		At: at,
	}
}

func outboxCount(t *testing.T, s *Store) int {
	t.Helper()
	st, err := s.OutboxStats(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	return st.ByState[MailQueued]
}

func TestSubscribeFollowConfirmUnsubscribe(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		caseID := mustCreate(t, s, newCase("Followed Person"), StatusMissing)
		at := time.Now().UTC()
		r := subReq("follower@example.org", caseID, nil, at)
		res, err := s.Subscribe(ctx, r)
		if err != nil || res != SubscribeMailed {
			t.Fatalf("subscribe: %v, %v", res, err)
		}
		if n := outboxCount(t, s); n != 1 {
			t.Fatalf("%d queued, want the one confirmation", n)
		}
		// Sealed at rest; only the token's hash is kept.
		_, rows := queryStrings(t, s, "SELECT email, confirm_hash FROM subscriptions")
		if len(rows) != 1 || strings.Contains(rows[0][0], "follower@") || strings.Contains(rows[0][1], r.ConfirmToken) {
			t.Fatalf("stored %q", rows)
		}
		// Not a follower before confirming.
		if f, _ := s.Followers(ctx, caseID, 0, 10); len(f) != 0 {
			t.Fatal("unconfirmed follower listed")
		}
		for _, bad := range []string{"wrong-token-wrong-token", "", strings.Repeat("x", 100<<10), "' OR 1=1 --", "\x00\xff", r.ConfirmToken + "x"} {
			if _, _, err := s.ConfirmSubscription(ctx, bad, at); !errors.Is(err, ErrNotFound) {
				t.Fatalf("token %.20q: %v", bad, err)
			}
		}
		index, n, err := s.ConfirmSubscription(ctx, r.ConfirmToken, at.Add(time.Hour))
		if err != nil || n != 1 || string(index) != string(r.EmailIndex) {
			t.Fatalf("confirm: %d, %v", n, err)
		}
		// Single use.
		if _, _, err := s.ConfirmSubscription(ctx, r.ConfirmToken, at.Add(time.Hour)); !errors.Is(err, ErrNotFound) {
			t.Fatalf("second use: %v", err)
		}
		f, err := s.Followers(ctx, caseID, 0, 10)
		if err != nil || len(f) != 1 || !f[0].Confirmed {
			t.Fatalf("followers %+v, %v", f, err)
		}
		email, err := s.fieldCipher().(*testCipher).open(f[0].Email, "subscriptions", "email", f[0].ID, f[0].SealToken)
		if err != nil || email != "follower@example.org" {
			t.Fatalf("email opens to %q, %v", email, err)
		}
		// Subscribing again: nothing sent, same kind of answer.
		if res, err := s.Subscribe(ctx, subReq("follower@example.org", caseID, nil, at)); err != nil || res != SubscribeAlready {
			t.Fatalf("again: %v, %v", res, err)
		}
		if n := outboxCount(t, s); n != 1 {
			t.Fatalf("%d queued after a repeat", n)
		}
		subs, err := s.SubscriptionsOf(ctx, r.EmailIndex)
		if err != nil || len(subs) != 1 {
			t.Fatalf("of: %v, %v", subs, err)
		}
		// Unsubscribe is idempotent, and another address cannot remove it.
		if err := s.Unsubscribe(ctx, testIndex("other@example.org"), subs[0].ID); err != nil {
			t.Fatal(err)
		}
		if subs, _ := s.SubscriptionsOf(ctx, r.EmailIndex); len(subs) != 1 {
			t.Fatal("another address's token removed the subscription")
		}
		for range 2 {
			if err := s.Unsubscribe(ctx, r.EmailIndex, subs[0].ID); err != nil {
				t.Fatal(err)
			}
		}
		if subs, _ := s.SubscriptionsOf(ctx, r.EmailIndex); len(subs) != 0 {
			t.Fatal("still subscribed")
		}
	})
}

func TestSubscribeRefusals(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := time.Now().UTC()
		located := mustCreate(t, s, newCase("Located Person"), StatusLocated)
		pending := mustCreate(t, s, newCase("Pending Person"), StatusPending)
		if _, err := s.Subscribe(ctx, subReq("a@example.org", located, nil, at)); !errors.Is(err, ErrCaseClosed) {
			t.Errorf("located case: %v", err)
		}
		if _, err := s.Subscribe(ctx, subReq("a@example.org", pending, nil, at)); !errors.Is(err, ErrNotFound) {
			t.Errorf("pending case: %v", err)
		}
		if _, err := s.Subscribe(ctx, subReq("a@example.org", 999999, nil, at)); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown case: %v", err)
		}
		for name, r := range map[string]SubscribeRequest{
			"unknown region": subReq("a@example.org", 0, []string{"Atlantis"}, at),
			"nothing":        subReq("a@example.org", 0, nil, at),
			"both":           subReq("a@example.org", located, []string{"Avalon"}, at),
			"CRLF address":   subReq("a@example.org\r\nBcc: b@example.org", 0, []string{"Avalon"}, at),
			"100 KB address": subReq(strings.Repeat("a", 100<<10)+"@example.org", 0, []string{"Avalon"}, at),
			"bad UTF-8":      subReq("\xff@example.org", 0, []string{"Avalon"}, at),
			"short index": func() SubscribeRequest {
				r := subReq("a@example.org", 0, []string{"Avalon"}, at)
				r.EmailIndex = []byte{1}
				return r
			}(),
			"no confirm token": func() SubscribeRequest {
				r := subReq("a@example.org", 0, []string{"Avalon"}, at)
				r.ConfirmToken = ""
				return r
			}(),
		} {
			if _, err := s.Subscribe(ctx, r); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: %v, want ErrInvalid", name, err)
			}
		}
		if n := outboxCount(t, s); n != 0 {
			t.Fatalf("%d mails queued by refused requests", n)
		}
	})
}

func TestSubscribeAreasAndExpiry(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := time.Now().UTC()
		r := subReq("areas@example.org", 0, []string{"Central", "Avalon", "Avalon"}, at)
		if res, err := s.Subscribe(ctx, r); err != nil || res != SubscribeMailed {
			t.Fatalf("%v, %v", res, err)
		}
		if _, n, err := s.ConfirmSubscription(ctx, r.ConfirmToken, at); err != nil || n != 2 {
			t.Fatalf("confirmed %d, %v", n, err)
		}
		for region, want := range map[string]int{"Avalon": 1, "Central": 1, "Labrador": 0} {
			if got, err := s.AreaSubscribers(ctx, region, 0, 10); err != nil || len(got) != want {
				t.Errorf("%s: %d subscribers, %v", region, len(got), err)
			}
		}
		// "All" replaces the single regions once confirmed: one alert per case.
		all := subReq("areas@example.org", 0, []string{"Avalon", AllRegions}, at)
		if res, err := s.Subscribe(ctx, all); err != nil || res != SubscribeMailed {
			t.Fatalf("%v, %v", res, err)
		}
		if subs, _ := s.SubscriptionsOf(ctx, all.EmailIndex); len(subs) != 3 {
			t.Fatalf("an unconfirmed 'all' changed the subscriptions: %d", len(subs))
		}
		if _, _, err := s.ConfirmSubscription(ctx, all.ConfirmToken, at); err != nil {
			t.Fatal(err)
		}
		subs, _ := s.SubscriptionsOf(ctx, all.EmailIndex)
		if len(subs) != 1 || subs[0].Region != AllRegions {
			t.Fatalf("after 'all': %+v", subs)
		}
		if got, _ := s.AreaSubscribers(ctx, "Labrador", 0, 10); len(got) != 1 {
			t.Fatal("'all' subscriber not alerted for Labrador")
		}

		// Unconfirmed past 48 h: the link is dead and the row goes.
		late := subReq("late@example.org", 0, []string{"Western"}, at)
		if _, err := s.Subscribe(ctx, late); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ConfirmSubscription(ctx, late.ConfirmToken, at.Add(ConfirmTTL+time.Second)); !errors.Is(err, ErrNotFound) {
			t.Fatalf("expired link: %v", err)
		}
		if n, err := s.DeleteUnconfirmedSubscriptions(ctx, at.Add(ConfirmTTL-time.Minute)); err != nil || n != 0 {
			t.Fatalf("deleted %d before expiry, %v", n, err)
		}
		if n, err := s.DeleteUnconfirmedSubscriptions(ctx, at.Add(ConfirmTTL+time.Second)); err != nil || n != 1 {
			t.Fatalf("deleted %d after expiry, %v", n, err)
		}
		if n, err := s.UnsubscribeAll(ctx, all.EmailIndex); err != nil || n != 1 {
			t.Fatalf("unsubscribe all: %d, %v", n, err)
		}
		if n, err := s.UnsubscribeAll(ctx, all.EmailIndex); err != nil || n != 0 {
			t.Fatalf("unsubscribe all again: %d, %v", n, err)
		}
	})
}

func TestSubscribeConfirmationLimit(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := time.Date(2026, 5, 1, 23, 0, 0, 0, time.UTC)
		var cases []int64
		for i := range 5 {
			cases = append(cases, mustCreate(t, s, newCase(fmt.Sprintf("Limit Person %d", i)), StatusMissing))
		}
		var got []SubscribeResult
		for _, id := range cases {
			res, err := s.Subscribe(ctx, subReq("limit@example.org", id, nil, at))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, res)
		}
		want := []SubscribeResult{SubscribeMailed, SubscribeMailed, SubscribeMailed, SubscribeLimited, SubscribeLimited}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("results %v, want %v", got, want)
		}
		if n := outboxCount(t, s); n != 3 {
			t.Fatalf("%d confirmation mails, want 3", n)
		}
		// Another address is not affected; the next UTC day starts afresh.
		if res, _ := s.Subscribe(ctx, subReq("other@example.org", cases[4], nil, at)); res != SubscribeMailed {
			t.Fatalf("other address: %v", res)
		}
		if res, _ := s.Subscribe(ctx, subReq("limit@example.org", cases[4], nil, at.Add(2*time.Hour))); res != SubscribeMailed {
			t.Fatalf("next day: %v", res)
		}
	})
}

// TestSubscribeConfirmationLimitConcurrent: requests racing for one
// address still send at most 3 confirmation mails a day.
func TestSubscribeConfirmationLimitConcurrent(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := time.Now().UTC()
		const n = 12
		reqs := make([]SubscribeRequest, n)
		for i := range n {
			id := mustCreate(t, s, newCase(fmt.Sprintf("Race Person %d", i)), StatusMissing)
			reqs[i] = subReq("race@example.org", id, nil, at)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		count := map[SubscribeResult]int{}
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				res, err := s.Subscribe(ctx, reqs[i])
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("subscribe %d: %v", i, err)
					return
				}
				count[res]++
			})
		}
		close(start)
		wg.Wait()
		if count[SubscribeMailed] != MaxConfirmationsPerDay || count[SubscribeLimited] != n-MaxConfirmationsPerDay {
			t.Fatalf("results %v", count)
		}
		if q := outboxCount(t, s); q != MaxConfirmationsPerDay {
			t.Fatalf("%d confirmation mails queued", q)
		}
	})
}

// TestEventsQueueFanouts: the events that cause mail write a fan-out in
// their own transaction; the fan-out is claimed, advanced and finished
// under a lease; closing deletes the followers.
func TestEventsQueueFanouts(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		kinds := func() []string {
			_, rows := queryStrings(t, s, "SELECT kind FROM outbox_fanouts WHERE state = 'pending' ORDER BY id")
			var out []string
			for _, r := range rows {
				out = append(out, r[0])
			}
			return out
		}
		rc, err := s.CreateReport(ctx, newCase("Fanout Person"), ReporterContact{Email: "reporter@example.org"}, nil, nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.TransitionCase(ctx, rc.CaseID, StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddUpdate(ctx, rc.CaseID, "Search resumes tomorrow.", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateTip(ctx, &Tip{CaseID: rc.CaseID, Message: "seen"}, TipContact{}); err != nil {
			t.Fatal(err)
		}
		r := subReq("closing@example.org", rc.CaseID, nil, time.Now().UTC())
		if _, err := s.Subscribe(ctx, r); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ConfirmSubscription(ctx, r.ConfirmToken, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if err := s.TransitionCase(ctx, rc.CaseID, StatusLocated, "", nil); err != nil {
			t.Fatal(err)
		}
		rej := mustCreate(t, s, newCase("Rejected Person"), StatusRejected)
		want := []string{FanoutReportSubmitted, FanoutCasePublished, FanoutCaseUpdate, FanoutTipReceived, FanoutCaseClosed, FanoutCaseRejected}
		if got := kinds(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("fan-outs %v, want %v", got, want)
		}

		// Work through them: each claimed once, in order.
		for i, kind := range want {
			f, err := s.ClaimFanout(ctx, "w", time.Minute)
			if err != nil || f.Kind != kind {
				t.Fatalf("claim %d: %+v, %v", i, f, err)
			}
			if kind == FanoutCaseRejected && f.CaseID != rej {
				t.Fatalf("rejected fan-out for case %d", f.CaseID)
			}
			// A fan-out being worked on is not handed to another worker.
			if g, err := s.ClaimFanout(ctx, "other", time.Minute); err == nil && g.ID == f.ID {
				t.Fatal("leased fan-out claimed twice")
			}
			if err := s.AdvanceFanout(ctx, f, "other", FanoutStep{Done: true}); !errors.Is(err, ErrNotFound) {
				t.Fatalf("advance by a non-owner: %v", err)
			}
			// Release whatever "other" claimed above back to the queue.
			if _, err := s.wdb.ExecContext(ctx, "UPDATE outbox_fanouts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = 'other'"); err != nil {
				t.Fatal(err)
			}
			step := FanoutStep{Done: true, DeleteFollowers: kind == FanoutCaseClosed, AfterID: 7,
				Mail: mustPrepare(t, s, Mail{MessageID: fmt.Sprintf("fan-%d@lostinnl.test", f.ID), Kind: kind, To: "x@example.org", Subject: "s", Text: "t"})}
			if err := s.AdvanceFanout(ctx, f, "w", step); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.ClaimFanout(ctx, "w", time.Minute); !errors.Is(err, ErrNotFound) {
			t.Fatalf("claim with none left: %v", err)
		}
		if f, _ := s.Followers(ctx, rc.CaseID, 0, 10); len(f) != 0 {
			t.Fatal("followers of a closed case kept")
		}
		if n, _ := s.CountPendingFanouts(ctx); n != 0 {
			t.Fatalf("%d pending", n)
		}
	})
}

func mustPrepare(t *testing.T, s *Store, m ...Mail) []PreparedMail {
	t.Helper()
	p, err := s.PrepareMail(ctxT(t), m...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStaffRecipients(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		a := newUser(t, s, "admin@example.org", RoleAdmin)
		m := newUser(t, s, "mod@example.org", RoleModerator)
		if on, err := s.StaffNotify(ctx, m.ID); err != nil || !on {
			t.Fatalf("default: %v, %v", on, err)
		}
		if err := s.SetStaffNotify(ctx, m.ID, false); err != nil {
			t.Fatal(err)
		}
		got, err := s.StaffRecipients(ctx, 0, 10)
		if err != nil || len(got) != 1 || got[0].UserID != a.ID {
			t.Fatalf("recipients %+v, %v", got, err)
		}
		wantErr(t, s.SetStaffNotify(ctx, 99999, true), ErrNotFound)
	})
}
