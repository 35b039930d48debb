package store

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestTipRefusedWhenAppealClosed: only a missing case takes tips. Located
// and archived cases say ErrCaseClosed (the appeal ended), unpublished or
// unknown ones ErrNotFound (the public must not learn they exist), and no
// refused tip leaves a row.
func TestTipRefusedWhenAppealClosed(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		for _, c := range []struct {
			status Status
			want   error
		}{
			{StatusLocated, ErrCaseClosed},
			{StatusArchived, ErrCaseClosed},
			{StatusPending, ErrNotFound},
			{StatusRejected, ErrNotFound},
		} {
			id := mustCreate(t, s, newCase("Closed "+string(c.status)), c.status)
			_, err := s.CreateTip(ctxT(t), &Tip{CaseID: id, Message: "seen on the ferry"}, TipContact{})
			wantErr(t, err, c.want)
		}
		// Re-opened (located → missing): tips are welcome again.
		id := mustCreate(t, s, newCase("Reopened"), StatusLocated)
		if err := s.TransitionCase(ctxT(t), id, StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateTip(ctxT(t), &Tip{CaseID: id, Message: "seen again"}, TipContact{}); err != nil {
			t.Fatalf("tip on a re-opened case: %v", err)
		}
		if _, n, err := s.ListTips(ctxT(t), TipFilter{}); err != nil || n != 1 {
			t.Fatalf("tips stored = %d, %v; want only the re-opened case's one", n, err)
		}
	})
}

// TestTipRaceWithLocated sends tips at once with a moderator marking the
// case located. Every tip is either stored or refused with ErrCaseClosed
// (never another error), the rows are exactly the accepted tips, and a tip
// sent after the status change returned is refused.
func TestTipRaceWithLocated(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		id := mustCreate(t, s, newCase("Raced"), StatusMissing)
		const n = 24
		var accepted, refused atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, n+1)
		for range n {
			wg.Go(func() {
				<-start
				_, err := s.CreateTip(ctxT(t), &Tip{CaseID: id, Message: "seen at the wharf"}, TipContact{})
				switch {
				case err == nil:
					accepted.Add(1)
				case errors.Is(err, ErrCaseClosed):
					refused.Add(1)
				default:
					errs <- err
				}
			})
		}
		wg.Go(func() {
			<-start
			if err := s.TransitionCase(ctxT(t), id, StatusLocated, "", nil); err != nil {
				errs <- err
			}
		})
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("unexpected error: %v", err)
		}
		_, stored, err := s.ListTips(ctxT(t), TipFilter{CaseID: id})
		if err != nil {
			t.Fatal(err)
		}
		if int64(stored) != accepted.Load() {
			t.Fatalf("%d tips stored, %d accepted (%d refused)", stored, accepted.Load(), refused.Load())
		}
		_, err = s.CreateTip(ctxT(t), &Tip{CaseID: id, Message: "after"}, TipContact{})
		wantErr(t, err, ErrCaseClosed)
	})
}
