package store

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// The store stamps rows with the real clock, so these tests move the
// cutoff instead: an hour ahead means "everything is old enough", an hour
// back "nothing is".
func retentionCutoffs() (past, future time.Time) {
	return time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
}

func TestRetentionDeletesStaleReportsOnly(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		past, future := retentionCutoffs()
		ids := map[Status]int64{}
		for _, st := range []Status{StatusPending, StatusRejected, StatusMissing, StatusLocated, StatusArchived} {
			ids[st] = mustCreate(t, s, newCase("Retention "+string(st)), st)
			if err := s.AddPhotos(ctxT(t), ids[st], []Photo{{Key: "k-" + string(st) + "-1"}, {Key: "k-" + string(st) + "-2"}}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddUpdate(ctxT(t), ids[StatusPending], "Moderator note on the timeline.", nil); err != nil {
			t.Fatal(err)
		}

		// Public and archived cases are never candidates, whatever their age.
		for _, st := range []Status{StatusMissing, StatusLocated, StatusArchived, Status("bogus")} {
			_, err := s.ReportsDueForDeletion(ctxT(t), st, future, 10)
			wantErr(t, err, ErrInvalid)
			_, err = s.DeleteStaleReport(ctxT(t), ids[st], st, future)
			wantErr(t, err, ErrInvalid)
		}
		// Not old enough yet.
		for _, st := range []Status{StatusPending, StatusRejected} {
			if got, err := s.ReportsDueForDeletion(ctxT(t), st, past, 10); err != nil || len(got) != 0 {
				t.Fatalf("%s due before the cutoff: %v, %v", st, got, err)
			}
			_, err := s.DeleteStaleReport(ctxT(t), ids[st], st, past)
			wantErr(t, err, ErrNotFound)
		}
		// A published case named with the status of a report: refused.
		_, err := s.DeleteStaleReport(ctxT(t), ids[StatusMissing], StatusPending, future)
		wantErr(t, err, ErrNotFound)

		for _, st := range []Status{StatusPending, StatusRejected} {
			got, err := s.ReportsDueForDeletion(ctxT(t), st, future, 10)
			if err != nil || !slices.Equal(got, []int64{ids[st]}) {
				t.Fatalf("%s due: %v, %v; want [%d]", st, got, err, ids[st])
			}
			photos, err := s.DeleteStaleReport(ctxT(t), ids[st], st, future)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, p := range photos {
				keys = append(keys, p.Key)
			}
			slices.Sort(keys)
			if want := []string{"k-" + string(st) + "-1", "k-" + string(st) + "-2"}; !slices.Equal(keys, want) {
				t.Fatalf("%s: deleted photos %v, want %v (the caller deletes their blobs)", st, keys, want)
			}
			_, err = s.GetCase(ctxT(t), ids[st])
			wantErr(t, err, ErrNotFound)
			// Again: already gone.
			_, err = s.DeleteStaleReport(ctxT(t), ids[st], st, future)
			wantErr(t, err, ErrNotFound)
		}
		// Nothing of the deleted reports is left behind.
		for _, q := range []string{
			"SELECT COUNT(*) FROM case_photos WHERE case_id IN (?, ?)",
			"SELECT COUNT(*) FROM case_updates WHERE case_id IN (?, ?)",
		} {
			var n int
			if err := s.db.QueryRowContext(ctxT(t), q, ids[StatusPending], ids[StatusRejected]).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s = %d, %v; want 0", q, n, err)
			}
		}
		// The others keep everything.
		for _, st := range []Status{StatusMissing, StatusLocated, StatusArchived} {
			if ps, err := s.ListPhotos(ctxT(t), ids[st]); err != nil || len(ps) != 2 {
				t.Errorf("%s case: %d photos, %v", st, len(ps), err)
			}
		}
	})
}

// TestRetentionReportRacesPublication: a moderator publishes a pending
// report at the moment retention deletes it. Exactly one wins: either the
// case is published (and kept, with its photos) or it is deleted and the
// publication fails; never a published case deleted.
func TestRetentionReportRacesPublication(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		_, future := retentionCutoffs()
		for round := range 6 {
			id := mustCreate(t, s, newCase(fmt.Sprintf("Raced report %d", round)), StatusPending)
			if err := s.AddPhotos(ctxT(t), id, []Photo{{Key: fmt.Sprintf("race-%d", round)}}, nil); err != nil {
				t.Fatal(err)
			}
			var (
				wg             sync.WaitGroup
				delErr, pubErr error
				photos         []Photo
				start          = make(chan struct{})
			)
			wg.Go(func() {
				<-start
				photos, delErr = s.DeleteStaleReport(ctxT(t), id, StatusPending, future)
			})
			wg.Go(func() {
				<-start
				pubErr = s.TransitionCase(ctxT(t), id, StatusMissing, "", nil)
			})
			close(start)
			wg.Wait()
			c, getErr := s.GetCase(ctxT(t), id)
			switch {
			case delErr == nil:
				if pubErr == nil || getErr == nil || len(photos) != 1 {
					t.Fatalf("round %d: deleted (%d photos) yet publish=%v get=%v", round, len(photos), pubErr, getErr)
				}
			case errors.Is(delErr, ErrNotFound):
				if pubErr != nil || getErr != nil || c.Status != StatusMissing {
					t.Fatalf("round %d: not deleted, but publish=%v get=%v", round, pubErr, getErr)
				}
				if ps, _ := s.ListPhotos(ctxT(t), id); len(ps) != 1 {
					t.Fatalf("round %d: the published case lost its photo", round)
				}
			default:
				t.Fatalf("round %d: delete: %v", round, delErr)
			}
		}
	})
}

func TestRetentionDeletesOldTipsAndMessages(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		past, future := retentionCutoffs()
		id := mustCreate(t, s, newCase("Tipped"), StatusMissing)
		for i := range 3 {
			if _, err := s.CreateTip(ctxT(t), &Tip{CaseID: id, Message: fmt.Sprintf("tip %d", i)}, TipContact{}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 2 {
			if _, err := s.CreateMessage(ctxT(t), &Message{Name: "Sam", Email: "sam@example.org", Body: fmt.Sprintf("message %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.DeleteTipsReceivedBefore(ctxT(t), past, 10); err != nil || n != 0 {
			t.Fatalf("tips deleted before they were due: %d, %v", n, err)
		}
		if n, err := s.DeleteMessagesReceivedBefore(ctxT(t), past, 10); err != nil || n != 0 {
			t.Fatalf("messages deleted before they were due: %d, %v", n, err)
		}
		// In batches: the limit holds, and the rest goes in the next call.
		for _, want := range []int{2, 1, 0} {
			if n, err := s.DeleteTipsReceivedBefore(ctxT(t), future, 2); err != nil || n != want {
				t.Fatalf("tips deleted = %d, %v; want %d", n, err, want)
			}
		}
		if _, n, err := s.ListTips(ctxT(t), TipFilter{}); err != nil || n != 0 {
			t.Fatalf("tips left: %d, %v", n, err)
		}
		if n, err := s.DeleteMessagesReceivedBefore(ctxT(t), future, 10); err != nil || n != 2 {
			t.Fatalf("messages deleted = %d, %v; want 2", n, err)
		}
		if _, n, err := s.ListMessages(ctxT(t), false, 1, 10); err != nil || n != 0 {
			t.Fatalf("messages left: %d, %v", n, err)
		}
		// The case itself is untouched.
		if c, err := s.GetCase(ctxT(t), id); err != nil || c.Status != StatusMissing {
			t.Fatalf("case after deleting its tips: %+v, %v", c, err)
		}
	})
}

// TestRetentionClockIsLastChange: a report's retention runs from its last
// change, not its creation, so one a moderator is still working on stays.
func TestRetentionClockIsLastChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		id := mustCreate(t, s, newCase("Worked on"), StatusPending)
		yearAgo := time.Now().AddDate(-1, 0, 0)
		if _, err := s.wdb.ExecContext(ctxT(t), "UPDATE cases SET created_at = ? WHERE id = ?", dbTime(yearAgo), id); err != nil {
			t.Fatal(err)
		}
		cutoff := time.Now().AddDate(0, 0, -90)
		if got, err := s.ReportsDueForDeletion(ctxT(t), StatusPending, cutoff, 10); err != nil || len(got) != 0 {
			t.Fatalf("a report changed today is due: %v, %v", got, err)
		}
		_, err := s.DeleteStaleReport(ctxT(t), id, StatusPending, cutoff)
		wantErr(t, err, ErrNotFound)
		if _, err := s.wdb.ExecContext(ctxT(t), "UPDATE cases SET updated_at = ? WHERE id = ?", dbTime(yearAgo), id); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ReportsDueForDeletion(ctxT(t), StatusPending, cutoff, 10); err != nil || !slices.Equal(got, []int64{id}) {
			t.Fatalf("untouched for a year, not due: %v, %v", got, err)
		}
		if _, err := s.DeleteStaleReport(ctxT(t), id, StatusPending, cutoff); err != nil {
			t.Fatal(err)
		}
	})
}
