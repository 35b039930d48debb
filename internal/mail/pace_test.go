package mail

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// fakeClock is a clock that moves only when someone sleeps on it, and
// remembers every sleep.
type fakeClock struct {
	t      time.Time
	sleeps []time.Duration
	// stopAfter, when > 0, makes the sleep of that number fail like a
	// context that ended (counting from 1), without moving the clock.
	stopAfter int
	cancel    context.CancelFunc
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.sleeps = append(c.sleeps, d)
	if c.stopAfter > 0 && len(c.sleeps) == c.stopAfter {
		c.cancel()
		return ctx.Err()
	}
	c.t = c.t.Add(d)
	return nil
}

func (c *fakeClock) total() time.Duration {
	var sum time.Duration
	for _, d := range c.sleeps {
		sum += d
	}
	return sum
}

func (c *fakeClock) pacer(rate, burst float64) *Pacer {
	return &Pacer{Rate: rate, Burst: burst, Now: c.now, Sleep: c.sleep}
}

// near: durations computed through float64 seconds may be a nanosecond off.
func near(a, b time.Duration) bool { return (a - b).Abs() <= time.Microsecond }

// TestPacerBurstThenRate: the burst goes at once, then one unit every
// 1/rate, and the time spent over many units is what the rate allows.
func TestPacerBurstThenRate(t *testing.T) {
	c := newFakeClock()
	p := c.pacer(10, 3)
	ctx := context.Background()
	for i := range 3 {
		if err := p.Wait(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if len(c.sleeps) != 0 {
			t.Fatalf("unit %d of the burst waited %v", i+1, c.sleeps)
		}
	}
	for i := range 7 {
		if err := p.Wait(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if len(c.sleeps) != i+1 || !near(c.sleeps[i], 100*time.Millisecond) {
			t.Fatalf("after the burst, unit %d: sleeps %v, want 100ms each", i+4, c.sleeps)
		}
	}
	// 10 units at 10/s with 3 at once: 0.7 s of waiting in all.
	if !near(c.total(), 700*time.Millisecond) {
		t.Fatalf("waited %v in all, want 700ms", c.total())
	}
}

// TestPacerIdleRefillsOnlyTheBurst: a long pause earns the burst back,
// not an unlimited credit (a quota per second stays one per second).
func TestPacerIdleRefillsOnlyTheBurst(t *testing.T) {
	c := newFakeClock()
	p := c.pacer(5, 2)
	ctx := context.Background()
	for range 4 {
		_ = p.Wait(ctx, 1)
	}
	before := len(c.sleeps)
	c.t = c.t.Add(time.Hour)
	_ = p.Wait(ctx, 1)
	_ = p.Wait(ctx, 1)
	if len(c.sleeps) != before {
		t.Fatalf("the burst after a pause waited: %v", c.sleeps[before:])
	}
	_ = p.Wait(ctx, 1)
	if len(c.sleeps) != before+1 || !near(c.sleeps[before], 200*time.Millisecond) {
		t.Fatalf("the unit after the burst: sleeps %v, want one of 200ms", c.sleeps[before:])
	}
}

// TestPacerBatchLargerThanBurst: a fan-out batch bigger than the burst is
// not refused; it is paid for by waiting.
func TestPacerBatchLargerThanBurst(t *testing.T) {
	c := newFakeClock()
	p := c.pacer(100, 50)
	ctx := context.Background()
	if err := p.Wait(ctx, 50); err != nil || len(c.sleeps) != 0 {
		t.Fatalf("first batch within the burst: %v, sleeps %v", err, c.sleeps)
	}
	if err := p.Wait(ctx, 500); err != nil {
		t.Fatal(err)
	}
	if len(c.sleeps) != 1 || !near(c.sleeps[0], 5*time.Second) {
		t.Fatalf("500 units at 100/s: sleeps %v, want one of 5s", c.sleeps)
	}
	// Time passing while the caller worked counts: a second of work
	// earns up to the burst back, so the next 50 cost nothing.
	c.t = c.t.Add(time.Second)
	if err := p.Wait(ctx, 50); err != nil || len(c.sleeps) != 1 {
		t.Fatalf("after a second of work: %v, sleeps %v", err, c.sleeps)
	}
}

// TestPacerOffAndStopped: no rate (or no pacer) never waits; a context
// that ends during the wait is reported.
func TestPacerOffAndStopped(t *testing.T) {
	c := newFakeClock()
	ctx := context.Background()
	var nilPacer *Pacer
	for _, p := range []*Pacer{nilPacer, c.pacer(0, 0), c.pacer(-3, 10)} {
		for range 1000 {
			if err := p.Wait(ctx, 7); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(c.sleeps) != 0 {
		t.Fatalf("an unpaced pacer slept: %v", c.sleeps)
	}
	ctx, cancel := context.WithCancel(ctx)
	c.cancel, c.stopAfter = cancel, 1
	p := c.pacer(1, 0) // burst < 1 means 1
	if err := p.Wait(ctx, 1); err != nil {
		t.Fatalf("first unit: %v", err)
	}
	if err := p.Wait(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait in a context that ended: %v, want context.Canceled", err)
	}
}

// TestPacerRealSleepStops: the real sleep returns when the context ends
// (a bound, not a timing assertion: the wait asked for is an hour).
func TestPacerRealSleepStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pacer{Rate: 1.0 / 3600}
	_ = p.Wait(ctx, 1)
	cancel()
	if err := p.Wait(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// TestSenderPaced: the sender takes one unit per delivery, a burst at a
// time (one wake-up per burst, not per message), so 30 messages at 10/s
// with a burst of 5 wait 2.5 s in all, in 5 waits of 0.5 s, and every
// message is delivered once.
func TestSenderPaced(t *testing.T) {
	ts := newTestServer(t)
	st, f := testStore(t)
	queue(t, st, 30, "paced")
	c := newFakeClock()
	s := newSender(ts, st, f, "a")
	s.Pace = c.pacer(10, 5)
	drain(t, s)
	if got := len(ts.got()); got != 30 {
		t.Fatalf("%d delivered, want 30", got)
	}
	if len(c.sleeps) != 5 || !near(c.sleeps[0], 500*time.Millisecond) || !near(c.total(), 2500*time.Millisecond) {
		t.Fatalf("waits %v, %v in all; want 5 waits of 0.5s", c.sleeps, c.total())
	}
	if st := stats(t, st); st[store.MailSent] != 30 {
		t.Fatalf("states %v", st)
	}
}

// countingOutbox counts the writes that record deliveries.
type countingOutbox struct {
	Outbox
	marks [][]int64
}

func (o *countingOutbox) MarkMailsSent(ctx context.Context, ids ...int64) error {
	o.marks = append(o.marks, append([]int64(nil), ids...))
	return o.Outbox.MarkMailsSent(ctx, ids...)
}

// TestSenderPacedMarksABurstAtOnce: a paced sender records its deliveries
// with one write per burst; unpaced, one per message, as before.
func TestSenderPacedMarksABurstAtOnce(t *testing.T) {
	for _, tc := range []struct {
		pace  *Pacer
		batch int
		want  []int // ids per write
	}{
		{&Pacer{Rate: 1e6, Burst: 5}, 50, []int{5, 5, 5, 5, 2}},
		{&Pacer{Rate: 1e6, Burst: 5}, 7, []int{5, 2, 5, 2, 5, 2, 1}}, // what is left at a batch's end is recorded then
		{nil, 50, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
	} {
		ts := newTestServer(t)
		st, f := testStore(t)
		queue(t, st, 22, "marks")
		s := newSender(ts, st, f, "a")
		o := &countingOutbox{Outbox: st}
		s.Outbox, s.Pace, s.Batch = o, tc.pace, tc.batch
		drain(t, s)
		var sizes []int
		for _, m := range o.marks {
			sizes = append(sizes, len(m))
		}
		if fmt.Sprint(sizes) != fmt.Sprint(tc.want) {
			t.Errorf("pace %+v, batch %d: writes of %v ids, want %v", tc.pace, tc.batch, sizes, tc.want)
		}
		if got := stats(t, st)[store.MailSent]; got != 22 || len(ts.got()) != 22 {
			t.Errorf("%d marked sent, %d delivered; want 22", got, len(ts.got()))
		}
	}
}

// TestSenderPacedBatchFitsTheLease: at a low rate a batch is cut to a
// minute of sending, so its lease cannot run out while it is sent.
func TestSenderPacedBatchFitsTheLease(t *testing.T) {
	for _, tc := range []struct {
		rate       float64
		batch      int
		wantBatch  int
		paced      bool
		explaining string
	}{
		{1, 100, 60, true, "1/s: a minute is 60"},
		{0.01, 100, 1, true, "below one a minute: one at a time"},
		{100, 100, 100, true, "fast enough: unchanged"},
		{1, 100, 100, false, "no pacer: unchanged"},
	} {
		s := &Sender{Batch: tc.batch}
		if tc.paced {
			s.Pace = &Pacer{Rate: tc.rate}
		}
		s.defaults()
		if s.Batch != tc.wantBatch {
			t.Errorf("%s: batch %d, want %d", tc.explaining, s.Batch, tc.wantBatch)
		}
	}
}

// TestSenderStoppedWhilePacedLosesNothing: a sender stopped while it
// waits for its turn sends nothing more, and what it had claimed is
// queued again at once (no attempt spent on the lease running out), so
// another sender delivers everything exactly once.
func TestSenderStoppedWhilePacedLosesNothing(t *testing.T) {
	ts := newTestServer(t)
	st, f := testStore(t)
	queue(t, st, 10, "stop")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := newFakeClock()
	c.cancel, c.stopAfter = cancel, 3
	s := newSender(ts, st, f, "a")
	s.Pace = c.pacer(10, 2)
	if n, err := s.SendBatch(ctx); n != 10 {
		t.Fatalf("claimed %d (%v)", n, err)
	}
	// Bursts of 2: the first free, two paid waits; the third wait is
	// where it stops.
	if got := len(ts.got()); got != 6 {
		t.Fatalf("%d delivered before the stop, want 6", got)
	}
	if st := stats(t, st); st[store.MailQueued] != 4 || st[store.MailSent] != 6 {
		t.Fatalf("states after the stop %v, want 4 queued, 6 sent", st)
	}
	drain(t, newSender(ts, st, f, "b"))
	seen := map[string]int{}
	for _, m := range ts.got() {
		seen[m.To]++
	}
	if len(seen) != 10 {
		t.Fatalf("%d distinct recipients, want 10", len(seen))
	}
	for to, n := range seen {
		if n != 1 {
			t.Errorf("%s got %d copies", to, n)
		}
	}
}

// TestFanoutPaced: the fan-out pays one unit per message it queues, batch
// by batch, and a fan-out stopped during a pause is finished by the next
// worker from its cursor, each subscriber alerted once.
func TestFanoutPaced(t *testing.T) {
	r := newMailRig(t)
	ctx := context.Background()
	const subs = 7
	for i := range subs {
		req, err := NewSubscribeRequest(r.keys, r.tpl, r.base, "x.test", SubscribeForm{Email: "pace" + itoa(i) + "@example.org", Regions: []string{"Labrador"}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.st.Subscribe(ctx, req); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.st.ConfirmSubscription(ctx, req.ConfirmToken, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	id, err := r.st.CreateCase(ctx, fictionalCase("Pia Fictional", "Labrador"), store.ReporterContact{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.st.TransitionCase(ctx, id, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	// Batches of 2 at 1/s with a burst of 2: the first batch is free,
	// each later one waits 2 s; the worker is stopped in its second wait
	// (after 3 batches, 6 alerts, are committed).
	stopCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := newFakeClock()
	c.cancel, c.stopAfter = cancel, 2
	r.fan.Batch, r.fan.Lease, r.fan.Pace = 2, time.Millisecond, c.pacer(1, 2)
	if did, err := r.fan.RunOnce(stopCtx); !did || !errors.Is(err, context.Canceled) {
		t.Fatalf("paced run: %v, %v; want stopped in a pause", did, err)
	}
	if len(c.sleeps) != 2 || !near(c.sleeps[0], 2*time.Second) || !near(c.sleeps[1], 2*time.Second) {
		t.Fatalf("pauses %v, want 2s after each batch past the burst", c.sleeps)
	}
	// The 7 confirmation mails (never sent here) and the 6 alerts of the
	// three committed batches.
	if q := stats(t, r.st)[store.MailQueued]; q != subs+6 {
		t.Fatalf("%d queued before the stop, want %d", q, subs+6)
	}
	time.Sleep(5 * time.Millisecond) // let the 1 ms lease run out (not an assertion on timing)
	r.fan.Pace, r.fan.Owner = nil, "fan-b"
	r.flush(t)
	for i := range subs {
		n := 0
		for _, m := range r.inbox["pace"+itoa(i)+"@example.org"] {
			if m.Subject == "Missing in Labrador: Pia Fictional" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("pace%d got %d alerts", i, n)
		}
	}
}
