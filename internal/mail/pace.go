package mail

import (
	"context"
	"sync"
	"time"
)

// Pacer spaces work out to at most Rate units a second on average, with
// up to Burst units at once after a quiet spell. The sender takes one unit
// per message (a mail provider's per-second quota, e.g. SES's); the
// fan-out takes one per recipient of a batch. Both would otherwise run
// flat out and, on a small machine, take the CPU the public pages need
// for as long as a large alert lasts.
//
// It is a token bucket that may go into debt: Wait takes its units at
// once and then sleeps until the debt is paid, so a batch larger than the
// burst is paced as a whole rather than refused. The zero Pacer, or one
// with Rate <= 0, never waits.
type Pacer struct {
	Rate  float64 // units per second; <= 0: no pacing
	Burst float64 // units available at once after a pause; < 1 means 1

	// Now and Sleep default to the real clock; tests pass a fake one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	tokens float64
	last   time.Time
	primed bool
}

// Wait takes n units and returns once the rate allows them, or with the
// context's error if it ends first (the units stay taken: whoever waits
// next waits for them too, which errs on the slow side).
func (p *Pacer) Wait(ctx context.Context, n int) error {
	if p == nil || p.Rate <= 0 || n <= 0 {
		return ctx.Err()
	}
	d := p.reserve(n)
	if d <= 0 {
		return ctx.Err()
	}
	sleep := p.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	return sleep(ctx, d)
}

// reserve takes n units and says how long the caller must wait for them.
func (p *Pacer) reserve(n int) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	t := now()
	burst := max(p.Burst, 1)
	if !p.primed {
		p.tokens, p.last, p.primed = burst, t, true
	}
	if t.After(p.last) {
		p.tokens = min(burst, p.tokens+t.Sub(p.last).Seconds()*p.Rate)
		p.last = t
	}
	p.tokens -= float64(n)
	if p.tokens >= 0 {
		return 0
	}
	return time.Duration(-p.tokens / p.Rate * float64(time.Second))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
