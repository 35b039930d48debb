package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestPasswordParallelGuessesBounded: wrong passwords sent all at once are
// counted before argon2 runs, so only the allowance is ever checked — per
// account, and per address across accounts. (Issue 12, point 1.)
func TestPasswordParallelGuessesBounded(t *testing.T) {
	e := newLoginEnv(t)
	e.user(t, "target@example.ca", "the right password 1", false)
	run := func(n int, attempt func(i int) Attempt) (invalid, throttled int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := e.a.Password(context.Background(), attempt(i))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case errors.Is(err, ErrInvalidCredentials):
					invalid++
				case errors.Is(err, ErrThrottled):
					throttled++
				default:
					t.Errorf("attempt %d: %v", i, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		return invalid, throttled
	}

	before := e.a.Hasher.Checks()
	invalid, throttled := run(30, func(i int) Attempt {
		return Attempt{Email: "target@example.ca", Password: "guess", IP: fmt.Sprintf("192.0.2.%d", i)}
	})
	if checked := e.a.Hasher.Checks() - before; invalid != 5 || throttled != 25 || checked != 5 {
		t.Errorf("one account: %d checked (%d argon2 runs), %d throttled; want 5, 5, 25", invalid, checked, throttled)
	}

	before = e.a.Hasher.Checks()
	invalid, throttled = run(40, func(i int) Attempt {
		return Attempt{Email: fmt.Sprintf("spray%d@example.ca", i), Password: "Summer2026!", IP: "203.0.113.5"}
	})
	if checked := e.a.Hasher.Checks() - before; invalid != DefaultIPMaxFailures || throttled != 40-DefaultIPMaxFailures || checked != int64(DefaultIPMaxFailures) {
		t.Errorf("one address: %d checked (%d argon2 runs), %d throttled; want %d", invalid, checked, throttled, DefaultIPMaxFailures)
	}
}

// TestPasswordKnownBrowserSkipsOnlyTheAddressLimit: with the address over
// its budget, the account's own known browser still gets in; another
// account's cookie does not help; a right password gives its count back.
func TestPasswordKnownBrowserSkipsOnlyTheAddressLimit(t *testing.T) {
	e := newLoginEnv(t)
	ctx := context.Background()
	u := e.user(t, "staff@example.ca", "the right password 1", false)
	other := e.user(t, "other@example.ca", "the right password 2", false)
	const office = "198.51.100.1"
	for i := range DefaultIPMaxFailures {
		if _, err := e.a.Password(ctx, Attempt{Email: fmt.Sprintf("x%d@example.ca", i), Password: "nope", IP: office}); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("spray %d: %v", i, err)
		}
	}
	res, err := e.a.Password(ctx, Attempt{Email: "staff@example.ca", Password: "the right password 1", IP: office})
	if !errors.Is(err, ErrIPBlocked) || res.Wait <= 0 || !res.Known {
		t.Fatalf("stranger: %+v, %v; want ErrIPBlocked, a wait, Known", res, err)
	}
	if _, err := e.a.Password(ctx, Attempt{Email: "staff@example.ca", Password: "the right password 1", IP: office, DeviceUserID: other.ID}); !errors.Is(err, ErrIPBlocked) {
		t.Fatalf("another account's browser: %v; want ErrIPBlocked", err)
	}
	res, err = e.a.Password(ctx, Attempt{Email: "staff@example.ca", Password: "the right password 1", IP: office, DeviceUserID: u.ID})
	if err != nil || res.User == nil || res.User.ID != u.ID {
		t.Fatalf("known browser: %+v, %v", res, err)
	}
	// Unknown emails are not Known.
	if res, _ := e.a.Password(ctx, Attempt{Email: "nobody@example.ca", Password: "x", IP: "192.0.2.200"}); res.Known {
		t.Error("an unknown email reported as Known")
	}
	// A right password released its count: the account has none.
	if wait, err := e.a.Throttle.Check(ctx, "staff@example.ca", "192.0.2.201"); err != nil || wait != 0 {
		t.Errorf("after a right password the account is %v, %v", wait, err)
	}
}
