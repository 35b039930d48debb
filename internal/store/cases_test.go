package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCaseCreateGetUpdate(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		c := newCase("Maren Tobin")
		c.Aliases = "Mare"
		c.BirthDate = ptr(date("1991-05-02"))
		c.LastSeenTime = "21:30"
		c.Latitude, c.Longitude = ptr(47.5615), ptr(-52.7126)
		photos := []Photo{{Key: "k1", Width: 800, Height: 600, Alt: "portrait"}, {Key: "k2", Width: 640, Height: 480}}
		audit := &AuditEntry{UserEmail: "mod@example.org", Action: "case.create", IP: "192.0.2.1"}
		id, err := s.CreateCase(ctxT(t), c, ReporterContact{}, photos, audit)
		if err != nil {
			t.Fatal(err)
		}
		if id == 0 || c.ID != id || c.Status != StatusPending || c.CreatedAt.IsZero() {
			t.Fatalf("after create: id=%d c.ID=%d status=%s created=%v", id, c.ID, c.Status, c.CreatedAt)
		}
		if audit.Record != fmt.Sprintf("case:%d", id) || audit.ID == 0 {
			t.Fatalf("audit record = %q id=%d", audit.Record, audit.ID)
		}
		got, err := s.GetCase(ctxT(t), id)
		if err != nil {
			t.Fatal(err)
		}
		if got.PrimaryPhoto == nil || got.PrimaryPhoto.Key != "k1" || got.PrimaryPhoto.Alt != "portrait" {
			t.Fatalf("primary photo = %+v", got.PrimaryPhoto)
		}
		got.PrimaryPhoto = nil
		if !reflect.DeepEqual(got, c) {
			t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, c)
		}
		if got.CreatedAt.Location() != time.UTC || got.LastSeenDate != date("2026-03-14") {
			t.Fatalf("times not UTC / date wrong: %v %v", got.CreatedAt, got.LastSeenDate)
		}

		// Pending is not public.
		_, err = s.GetPublicCase(ctxT(t), id)
		wantErr(t, err, ErrNotFound)
		_, err = s.GetCase(ctxT(t), id+1000)
		wantErr(t, err, ErrNotFound)

		c.FullName = "Maren Tobin-Hynes"
		c.Age = nil
		c.BirthDate = nil
		c.Latitude, c.Longitude = nil, nil
		c.Features = "tattoo of a puffin on the right wrist"
		if err := s.UpdateCase(ctxT(t), c, &AuditEntry{Action: "case.update"}); err != nil {
			t.Fatal(err)
		}
		got, err = s.GetCase(ctxT(t), id)
		if err != nil {
			t.Fatal(err)
		}
		if got.FullName != "Maren Tobin-Hynes" || got.Age != nil || got.Latitude != nil || got.Features != c.Features {
			t.Fatalf("update not stored: %+v", got)
		}
		if n := auditCount(t, s, fmt.Sprintf("case:%d", id)); n != 2 {
			t.Fatalf("audit entries = %d, want 2", n)
		}
		// UpdateCase never changes the status.
		c.Status = StatusMissing
		if err := s.UpdateCase(ctxT(t), c, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetCase(ctxT(t), id); got.Status != StatusPending {
			t.Fatalf("UpdateCase changed status to %s", got.Status)
		}
		missing := newCase("Nobody")
		missing.ID = id + 999
		wantErr(t, s.UpdateCase(ctxT(t), missing, nil), ErrNotFound)
	})
}

func TestCaseAgeDerivedFromBirthDate(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		c := newCase("Ivo Brennan")
		c.Age = nil
		c.BirthDate = ptr(date("2010-03-15"))
		c.LastSeenDate = date("2026-03-14")
		id := mustCreate(t, s, c, StatusPending)
		got, err := s.GetCase(ctxT(t), id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Age == nil || *got.Age != 15 {
			t.Fatalf("age = %v, want 15 (birthday is the day after)", got.Age)
		}
	})
}

func TestCaseCreateValidation(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		bad := []func(c *Case){
			func(c *Case) { c.FullName = "" },
			func(c *Case) { c.FullName = strings.Repeat("a", 201) },
			func(c *Case) { c.FullName = "bad\xffutf8" },
			func(c *Case) { c.LastSeenDate = time.Time{} },
			func(c *Case) { c.Features = strings.Repeat("x", 70000) },
			func(c *Case) { c.Latitude = ptr(91.0) },
			func(c *Case) { c.Age = ptr(-1) },
		}
		for i, mod := range bad {
			c := newCase("Valid Name")
			mod(c)
			if _, err := s.CreateCase(ctxT(t), c, ReporterContact{}, nil, nil); !errors.Is(err, ErrInvalid) {
				t.Errorf("case %d: error = %v, want ErrInvalid", i, err)
			}
		}
		// Initial status: only pending or (publishable) missing.
		c := newCase("Ro Kelly")
		c.Status = StatusLocated
		_, err := s.CreateCase(ctxT(t), c, ReporterContact{}, nil, nil)
		wantErr(t, err, ErrIllegalTransition)
		c = newCase("Ro Kelly")
		c.Status = StatusMissing
		c.PoliceVerified = false
		_, err = s.CreateCase(ctxT(t), c, ReporterContact{}, nil, nil)
		wantErr(t, err, ErrPublishRequirements)
		c.PoliceVerified = true
		if _, err := s.CreateCase(ctxT(t), c, ReporterContact{}, nil, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetPublicCase(ctxT(t), c.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLifecycleTransitions(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		all := []Status{StatusPending, StatusMissing, StatusLocated, StatusArchived, StatusRejected}
		for _, from := range all {
			for _, to := range all {
				c := newCase(fmt.Sprintf("Case %s %s", from, to))
				id := mustCreate(t, s, c, from)
				before := auditCount(t, s, fmt.Sprintf("case:%d", id))
				err := s.TransitionCase(ctxT(t), id, to, "duplicate report", &AuditEntry{Action: "case.transition"})
				got, gerr := s.GetCase(ctxT(t), id)
				if gerr != nil {
					t.Fatal(gerr)
				}
				after := auditCount(t, s, fmt.Sprintf("case:%d", id))
				if CanTransition(from, to) {
					if err != nil {
						t.Errorf("%s → %s: %v", from, to, err)
						continue
					}
					if got.Status != to || after != before+1 {
						t.Errorf("%s → %s: status %s, audit %d→%d", from, to, got.Status, before, after)
					}
				} else {
					if !errors.Is(err, ErrIllegalTransition) {
						t.Errorf("%s → %s: error = %v, want ErrIllegalTransition", from, to, err)
					}
					if got.Status != from || after != before {
						t.Errorf("%s → %s refused but status %s, audit %d→%d", from, to, got.Status, before, after)
					}
				}
			}
		}
		wantErr(t, s.TransitionCase(ctxT(t), 99999, StatusMissing, "", nil), ErrNotFound)
		wantErr(t, s.TransitionCase(ctxT(t), 1, Status("bogus"), "", nil), ErrIllegalTransition)
	})
}

func TestTransitionSideEffects(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		c := newCase("Aine Foley")
		id := mustCreate(t, s, c, StatusPending)
		if err := s.TransitionCase(ctxT(t), id, StatusRejected, "no police report", nil); err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetCase(ctxT(t), id)
		if got.RejectReason != "no police report" {
			t.Fatalf("reject reason = %q", got.RejectReason)
		}
		if err := s.TransitionCase(ctxT(t), id, StatusPending, "", nil); err != nil {
			t.Fatal(err)
		}
		if err := s.TransitionCase(ctxT(t), id, StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		before := time.Now().UTC().Add(-time.Second)
		if err := s.TransitionCase(ctxT(t), id, StatusLocated, "", nil); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetCase(ctxT(t), id)
		if got.LocatedAt == nil || got.LocatedAt.Before(before) {
			t.Fatalf("LocatedAt = %v", got.LocatedAt)
		}
		if _, err := s.GetPublicCase(ctxT(t), id); err != nil {
			t.Fatalf("located case not public: %v", err)
		}
		if _, err := s.WithdrawPersonal(ctxT(t), id, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.TransitionCase(ctxT(t), id, StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetCase(ctxT(t), id)
		if got.LocatedAt != nil || got.PersonalWithdrawn {
			t.Fatalf("re-opened case keeps LocatedAt=%v withdrawn=%v", got.LocatedAt, got.PersonalWithdrawn)
		}
		if err := s.TransitionCase(ctxT(t), id, StatusArchived, "", nil); err != nil {
			t.Fatal(err)
		}
		_, err := s.GetPublicCase(ctxT(t), id)
		wantErr(t, err, ErrNotFound)
	})
}

func TestPublishRequirements(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		for i, mod := range []func(c *Case){
			func(c *Case) { c.PoliceAgency = "" },
			func(c *Case) { c.PoliceFileNumber = " " },
			func(c *Case) { c.PoliceVerified = false },
		} {
			c := newCase(fmt.Sprintf("Unverified %d", i))
			mod(c)
			id := mustCreate(t, s, c, StatusPending)
			err := s.TransitionCase(ctxT(t), id, StatusMissing, "", &AuditEntry{Action: "case.publish"})
			wantErr(t, err, ErrPublishRequirements)
			if n := auditCount(t, s, fmt.Sprintf("case:%d", id)); n != 0 {
				t.Fatalf("refused publish wrote %d audit entries", n)
			}
		}
		// A published case cannot be edited into an unpublishable one.
		c := newCase("Published Person")
		mustCreate(t, s, c, StatusMissing)
		c.PoliceVerified = false
		wantErr(t, s.UpdateCase(ctxT(t), c, nil), ErrPublishRequirements)
	})
}

func TestAuditRolledBackWithWrite(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		c := newCase("Rollback Test")
		id := mustCreate(t, s, c, StatusPending)
		// An audit entry that cannot be stored (action too long) must make
		// the whole write fail, and leave nothing behind.
		bad := &AuditEntry{Action: strings.Repeat("x", 500)}
		c.FullName = "Changed Name"
		if err := s.UpdateCase(ctxT(t), c, bad); !errors.Is(err, ErrInvalid) {
			t.Fatalf("error = %v, want ErrInvalid", err)
		}
		got, _ := s.GetCase(ctxT(t), id)
		if got.FullName != "Rollback Test" {
			t.Fatalf("write committed without its audit entry: %q", got.FullName)
		}
		n0, _ := s.CountCasesByStatus(ctxT(t))
		if _, err := s.CreateCase(ctxT(t), newCase("Never Stored"), ReporterContact{}, nil, bad); err == nil {
			t.Fatal("create with a bad audit entry succeeded")
		}
		n1, _ := s.CountCasesByStatus(ctxT(t))
		if n0[StatusPending] != n1[StatusPending] {
			t.Fatalf("case row survived a failed audit insert: %v → %v", n0, n1)
		}
		// Transition: the audit entry lands in the same transaction.
		if err := s.TransitionCase(ctxT(t), id, StatusMissing, "", bad); err == nil {
			t.Fatal("transition with bad audit succeeded")
		}
		if got, _ := s.GetCase(ctxT(t), id); got.Status != StatusPending {
			t.Fatalf("status changed without audit: %s", got.Status)
		}
	})
}

func TestReporterContactSealed(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ciph := newTestCipher(t)
		s.SetCipher(ciph)
		contact := ReporterContact{Name: "Orla Whelan", Phone: "709-555-0199", Email: "orla@example.org"}
		c := newCase("Sealed Case")
		id, err := s.CreateCase(ctxT(t), c, contact, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Raw bytes in the database never contain the plaintext, and open
		// only with the right (table, column, seal token).
		var name, phone, email, rel, tok []byte
		if err := s.db.QueryRowContext(ctxT(t), "SELECT reporter_name, reporter_phone, reporter_email, reporter_relationship, seal_token FROM cases WHERE id = ?", id).
			Scan(&name, &phone, &email, &rel, &tok); err != nil {
			t.Fatal(err)
		}
		if len(tok) != sealTokenSize || !bytes.Equal(tok, c.SealToken) {
			t.Fatalf("seal token %x, returned %x", tok, c.SealToken)
		}
		for col, v := range map[string][]byte{"reporter_name": name, "reporter_phone": phone, "reporter_email": email} {
			for _, p := range []string{contact.Name, contact.Phone, contact.Email, "Orla", "0199"} {
				if bytes.Contains(v, []byte(p)) {
					t.Fatalf("%s contains plaintext %q", col, p)
				}
			}
			if _, err := ciph.open(v, "cases", col, id, []byte("another row's token")); err == nil {
				t.Fatalf("%s opens with another row's token", col)
			}
		}
		if got, err := ciph.open(name, "cases", "reporter_name", 0, tok); err != nil || got != contact.Name {
			t.Fatalf("open reporter_name = %q, %v", got, err)
		}
		if rel != nil {
			t.Fatalf("empty relationship stored as %x, want NULL", rel)
		}
		got, _ := s.GetCase(ctxT(t), id)
		if !bytes.Equal(got.ReporterPhone, phone) || !bytes.Equal(c.ReporterPhone, phone) {
			t.Fatal("sealed value not returned on the case")
		}

		// Update: new values sealed, emptied ones become NULL.
		if err := s.UpdateReporterContact(ctxT(t), id, ReporterContact{Name: "Orla W.", Relationship: "sister"}, &AuditEntry{Action: "case.contact"}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetCase(ctxT(t), id)
		if got.ReporterPhone != nil || got.ReporterEmail != nil {
			t.Fatal("emptied contact fields not NULL")
		}
		if v, err := ciph.open(got.ReporterRelationship, "cases", "reporter_relationship", id, got.SealToken); err != nil || v != "sister" {
			t.Fatalf("relationship = %q, %v", v, err)
		}

		// A row from before seal tokens (NULL token): its new values are
		// bound to its id, as its old ones are.
		if _, err := s.wdb.ExecContext(ctxT(t), "UPDATE cases SET seal_token = NULL WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateReporterContact(ctxT(t), id, ReporterContact{Name: "Orla Legacy"}, nil); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetCase(ctxT(t), id)
		if got.SealToken != nil {
			t.Fatalf("update gave an old row a token: %x", got.SealToken)
		}
		if v, err := ciph.open(got.ReporterName, "cases", "reporter_name", id, nil); err != nil || v != "Orla Legacy" {
			t.Fatalf("old row's name = %q, %v", v, err)
		}

		// Without a cipher a contact is refused, and nothing is written.
		s.SetCipher(nil)
		n0, _ := s.CountCasesByStatus(ctxT(t))
		_, err = s.CreateCase(ctxT(t), newCase("No Cipher"), ReporterContact{Phone: "709-555-0123"}, nil, nil)
		wantErr(t, err, ErrNoCipher)
		n1, _ := s.CountCasesByStatus(ctxT(t))
		if n0[StatusPending] != n1[StatusPending] {
			t.Fatal("case stored although its contact could not be sealed")
		}
		wantErr(t, s.UpdateReporterContact(ctxT(t), id, ReporterContact{Name: "x"}, nil), ErrNoCipher)
		// An empty contact needs no cipher.
		if _, err := s.CreateCase(ctxT(t), newCase("No Contact"), ReporterContact{}, nil, nil); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCaseQueriesForOperations(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		a := newCase("Ops One")
		a.PoliceFileNumber = "FILE-77"
		idA := mustCreate(t, s, a, StatusLocated)
		if err := s.AddPhotos(ctxT(t), idA, []Photo{{Key: "ops-a1"}, {Key: "ops-a2"}}, nil); err != nil {
			t.Fatal(err)
		}
		b := newCase("Ops Two")
		mustCreate(t, s, b, StatusMissing)
		mustCreate(t, s, newCase("Ops Three"), StatusPending)

		id, err := s.FindCaseByPoliceFile(ctxT(t), "RNC", "FILE-77")
		if err != nil || id != idA {
			t.Fatalf("FindCaseByPoliceFile = %d, %v; want %d", id, err, idA)
		}
		_, err = s.FindCaseByPoliceFile(ctxT(t), "RCMP", "FILE-77")
		wantErr(t, err, ErrNotFound)

		counts, err := s.CountCasesByStatus(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if counts[StatusLocated] != 1 || counts[StatusMissing] != 1 || counts[StatusPending] != 1 || counts[StatusArchived] != 0 {
			t.Fatalf("counts = %v", counts)
		}

		due, err := s.LocatedDueForWithdrawal(ctxT(t), time.Now().Add(time.Hour), 10)
		if err != nil || len(due) != 1 || due[0].ID != idA {
			t.Fatalf("due = %v, %v", due, err)
		}
		if due, _ := s.LocatedDueForWithdrawal(ctxT(t), time.Now().Add(-time.Hour), 10); len(due) != 0 {
			t.Fatalf("not yet due but listed: %d", len(due))
		}
		photos, err := s.WithdrawPersonal(ctxT(t), idA, &AuditEntry{Action: "case.withdraw"})
		if err != nil || len(photos) != 2 {
			t.Fatalf("withdraw = %v, %v", photos, err)
		}
		if ps, _ := s.ListPhotos(ctxT(t), idA); len(ps) != 0 {
			t.Fatalf("photos left after withdrawal: %d", len(ps))
		}
		if due, _ := s.LocatedDueForWithdrawal(ctxT(t), time.Now().Add(time.Hour), 10); len(due) != 0 {
			t.Fatal("withdrawn case still due")
		}
		// Only located cases can be withdrawn.
		_, err = s.WithdrawPersonal(ctxT(t), b.ID, nil)
		wantErr(t, err, ErrIllegalTransition)
		_, err = s.WithdrawPersonal(ctxT(t), 99999, nil)
		wantErr(t, err, ErrNotFound)
	})
}

// TestTransitionRace: many moderators pressing "Located" at once. Exactly
// one wins; the others get a clean lifecycle error, and only one audit
// entry is written.
func TestTransitionRace(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		id := mustCreate(t, s, newCase("Raced Case"), StatusMissing)
		const n = 8
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.TransitionCase(context.Background(), id, StatusLocated, "", &AuditEntry{Action: "case.locate"})
			}()
		}
		wg.Wait()
		close(errs)
		wins := 0
		for err := range errs {
			switch {
			case err == nil:
				wins++
			case errors.Is(err, ErrIllegalTransition), errors.Is(err, ErrConflict):
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d transitions succeeded, want 1", wins)
		}
		if got := auditCount(t, s, fmt.Sprintf("case:%d", id)); got != 1 {
			t.Fatalf("audit entries = %d, want 1", got)
		}
	})
}
