package store

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// parallel runs fn n times released together.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn(i)
		}()
	}
	close(start)
	wg.Wait()
}

// TestReserveLoginFailuresAtomic: 30 parallel reservations under a limit of
// 5 on one key record exactly 5; a refusal records nothing and comes back
// unwrapped; DeleteLoginFailures gives reservations back.
func TestReserveLoginFailuresAtomic(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := time.Now()
		refused := errors.New("over the limit")
		var mu sync.Mutex
		var granted [][]int64
		var errs []error
		parallel(30, func(i int) {
			ids, err := s.ReserveLoginFailures(ctx, []string{"acct:x", fmt.Sprintf("ip:192.0.2.%d", i)}, at, func(c LoginFailureCounter) error {
				n, err := c.CountLoginFailures(ctx, "acct:x", at.Add(-time.Minute))
				if err != nil {
					return err
				}
				if n >= 5 {
					return refused
				}
				return nil
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			granted = append(granted, ids)
		})
		if len(granted) != 5 || len(errs) != 25 {
			t.Fatalf("granted %d, refused %d; want 5 and 25", len(granted), len(errs))
		}
		for _, err := range errs {
			if err != refused {
				t.Fatalf("refusal came back as %v", err)
			}
		}
		n, err := s.CountLoginFailures(ctx, "acct:x", at.Add(-time.Minute))
		if err != nil || n != 5 {
			t.Fatalf("recorded %d, %v; want 5", n, err)
		}
		if len(granted[0]) != 2 || slices.Contains(granted[0], 0) {
			t.Fatalf("ids %v; want one per key", granted[0])
		}
		if err := s.DeleteLoginFailures(ctx, granted[0]); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountLoginFailures(ctx, "acct:x", at.Add(-time.Minute)); n != 4 {
			t.Fatalf("after release: %d; want 4", n)
		}
		// Pruned lock rows are made again.
		if _, err := s.PruneLoginFailures(ctx, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReserveLoginFailures(ctx, []string{"acct:x"}, at, func(LoginFailureCounter) error { return nil }); err != nil {
			t.Fatalf("after prune: %v", err)
		}
		if _, err := s.ReserveLoginFailures(ctx, []string{""}, at, func(LoginFailureCounter) error { return nil }); !errors.Is(err, ErrInvalid) {
			t.Fatalf("empty key: %v", err)
		}
	})
}

// TestSecondFactorCompareAndSet: a TOTP step, a recovery-code list and a
// pending sign-in's tries each change once however many requests race.
func TestSecondFactorCompareAndSet(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		u := &User{Email: "cas@example.org", PasswordHash: "h", Role: RoleModerator, RecoveryCodes: "a\nb\nc"}
		id, err := s.CreateUser(ctx, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		wins := 0
		parallel(10, func(int) {
			ok, err := s.ClaimTOTPStep(ctx, id, 1000)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if ok {
				wins++
			}
		})
		if wins != 1 {
			t.Fatalf("step claimed %d times; want 1", wins)
		}
		if ok, _ := s.ClaimTOTPStep(ctx, id, 999); ok {
			t.Fatal("an older step was accepted")
		}
		if ok, _ := s.ClaimTOTPStep(ctx, id, 1001); !ok {
			t.Fatal("a newer step was refused")
		}

		wins = 0
		parallel(10, func(int) {
			ok, err := s.ReplaceRecoveryCodes(ctx, id, "a\nb\nc", "b\nc")
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if ok {
				wins++
			}
		})
		if got, _ := s.GetUserRecoveryCodes(ctx, id); wins != 1 || got != "b\nc" {
			t.Fatalf("recovery codes replaced %d times, now %q", wins, got)
		}

		hash := []byte("pending-session")
		if err := s.CreateSession(ctx, &Session{IDHash: hash, UserID: id, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		var tries []int
		parallel(20, func(int) {
			n, err := s.TakeSecondFactorTry(ctx, hash, 5)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			tries = append(tries, n)
		})
		slices.Sort(tries)
		want := append(make([]int, 15), 1, 2, 3, 4, 5)
		if !slices.Equal(tries, want) {
			t.Fatalf("tries %v; want fifteen 0s and 1..5", tries)
		}
		if _, err := s.TakeSecondFactorTry(ctx, []byte("no such session"), 5); !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing session: %v", err)
		}
	})
}
