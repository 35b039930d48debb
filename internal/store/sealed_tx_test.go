package store

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lostinnl/internal/secrets"
)

// blockingCipher is a keeper as slow as we like: each SealRow announces
// itself on entered and then waits until release is closed, as a KMS call
// that takes its time would. It counts its calls.
type blockingCipher struct {
	inner   FieldCipher
	entered chan string
	release chan struct{}
	calls   atomic.Int32
}

func (b *blockingCipher) SealRow(ctx context.Context, table string, id int64, token []byte, columns []string, values [][]byte) ([][]byte, error) {
	b.calls.Add(1)
	b.entered <- table
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return b.inner.SealRow(ctx, table, id, token, columns, values)
}

// TestSealingDoesNotHoldTheWriter: while a tip, a report or a contact edit
// waits on the keeper, other writes go on. The keeper does not return
// until another write has committed; were the sealing inside the write
// transaction, that write would wait for the only writer connection
// (SQLite) or the case row's lock (MariaDB: the moderator edits the very
// case the tip is about) and the test would fail at its guard instead of
// finishing. No timing is measured: the order alone proves it.
func TestSealingDoesNotHoldTheWriter(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		pub := mustCreate(t, s, newCase("Slow Keeper Case"), StatusMissing)
		legacy := mustCreate(t, s, newCase("Edited Contact Case"), StatusMissing)
		actions := []struct {
			name string
			run  func() error
		}{
			{"tip", func() error {
				_, err := s.CreateTip(ctx, &Tip{CaseID: pub, Message: "Saw her at the wharf"}, TipContact{Name: "Tess Tipster", Phone: "709-555-0101", Email: "tess@example.org"})
				return err
			}},
			{"report", func() error {
				_, err := s.CreateReport(ctx, newCase("Reported Person"), ReporterContact{Name: "Rita Reporter", Email: "rita@example.org"}, nil, nil, time.Now())
				return err
			}},
			{"contact edit", func() error {
				name := "Corrected Name"
				return s.SaveCase(ctx, legacy, CaseSave{Contact: ContactEdit{Name: &name}})
			}},
		}
		for _, a := range actions {
			t.Run(a.name, func(t *testing.T) {
				slow := &blockingCipher{inner: newTestCipher(t), entered: make(chan string, 1), release: make(chan struct{})}
				s.SetCipher(slow)
				defer s.SetCipher(newTestCipher(t))
				released := false
				release := func() {
					if !released {
						released = true
						close(slow.release)
					}
				}
				defer release()
				done := make(chan error, 1)
				go func() { done <- a.run() }()
				select {
				case <-slow.entered:
				case err := <-done:
					t.Fatalf("finished without sealing: %v", err)
				case <-time.After(30 * time.Second):
					t.Fatal("the keeper was never called")
				}
				// The keeper is now "on the network". A moderator edits the
				// case and a message arrives; both must commit meanwhile.
				guard, cancel := context.WithTimeout(ctx, 20*time.Second)
				defer cancel()
				c, err := s.GetCase(guard, pub)
				if err != nil {
					t.Fatal(err)
				}
				c.Clothing = fmt.Sprintf("edited while the %s was sealed", a.name)
				if err := s.UpdateCase(guard, c, &AuditEntry{Action: "case.update"}); err != nil {
					t.Fatalf("a moderator's edit waited on the %s's keeper call: %v", a.name, err)
				}
				if _, err := s.CreateMessage(guard, &Message{Name: "Mary", Email: "mary@example.org", Subject: "Hello", Body: "A message"}); err != nil {
					t.Fatalf("a contact message waited on the %s's keeper call: %v", a.name, err)
				}
				release()
				if err := <-done; err != nil {
					t.Fatalf("%s: %v", a.name, err)
				}
				if n := slow.calls.Load(); n != 1 {
					t.Fatalf("%s: %d keeper calls, want 1 for the whole row", a.name, n)
				}
			})
		}
	})
}

// TestSaveCaseIsOneTransaction: the fields, the contact and the publishing
// of one save commit together or not at all, and only the contact fields
// the form changed are rewritten.
func TestSaveCaseIsOneTransaction(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		c := newCase("Pending Report")
		c.PoliceVerified = false
		id, err := s.CreateCase(ctx, c, ReporterContact{Name: "Rhoda", Phone: "709-555-0199"}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		before, _ := s.GetCase(ctx, id)

		// Publishing fails (not verified): the edit and the contact
		// change are rolled back with it.
		edit := *before
		edit.Clothing = "blue coat"
		phone := "709-555-0111"
		err = s.SaveCase(ctx, id, CaseSave{Fields: &edit, FieldsAudit: &AuditEntry{Action: "case.update"},
			Contact: ContactEdit{Phone: &phone}, ContactAudit: &AuditEntry{Action: "case.contact_update"},
			Publish: true, PublishAudit: &AuditEntry{Action: "case.publish"}})
		wantErr(t, err, ErrPublishRequirements)
		after, _ := s.GetCase(ctx, id)
		if after.Clothing != before.Clothing || !bytes.Equal(after.ReporterPhone, before.ReporterPhone) || after.Status != StatusPending {
			t.Fatal("a refused save was half applied")
		}
		if es, _, _ := s.ListAudit(ctx, AuditFilter{}); len(es) != 0 {
			t.Fatalf("a refused save left audit entries: %+v", es)
		}

		// Verified: everything commits at once; the name is not touched.
		edit.PoliceVerified = true
		if err := s.SaveCase(ctx, id, CaseSave{Fields: &edit, Contact: ContactEdit{Phone: &phone}, Publish: true}); err != nil {
			t.Fatal(err)
		}
		after, _ = s.GetCase(ctx, id)
		if after.Clothing != "blue coat" || after.Status != StatusMissing {
			t.Fatalf("save not applied: %+v", after)
		}
		if !bytes.Equal(after.ReporterName, before.ReporterName) {
			t.Fatal("an unchanged contact field was rewritten")
		}
		ciph := s.fieldCipher().(*testCipher)
		if v, err := ciph.open(after.ReporterPhone, "cases", "reporter_phone", id, after.SealToken); err != nil || v != phone {
			t.Fatalf("phone = %q, %v", v, err)
		}
		// Clearing a field stores NULL; a missing case is ErrNotFound.
		empty := ""
		if err := s.SaveCase(ctx, id, CaseSave{Contact: ContactEdit{Name: &empty}}); err != nil {
			t.Fatal(err)
		}
		if after, _ = s.GetCase(ctx, id); after.ReporterName != nil {
			t.Fatal("cleared name not NULL")
		}
		wantErr(t, s.SaveCase(ctx, id+1000, CaseSave{Contact: ContactEdit{Name: &phone}}), ErrNotFound)
	})
}

// TestRotationCoversEverySealedColumn: every column the schema holds
// sealed values in is in SealedColumns, and `secret rotate` (secrets.Rotate
// over the store) re-wraps a value in each of them, for rows bound to a
// seal token and rows from before seal tokens alike.
func TestRotationCoversEverySealedColumn(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		// The schema side: in a table with sealed values, every binary
		// column but the token itself is sealed.
		sc := readSchema(t, s)
		// Binary columns that are keyed hashes, not sealed values: the
		// blind index of an address and a confirmation token's SHA-256.
		notSealed := map[string]bool{"subscriptions.email_index": true, "subscriptions.confirm_hash": true}
		listed := map[string]bool{}
		for _, c := range SealedColumns() {
			listed[c.Table+"."+c.Column] = true
			if !strings.HasPrefix(sc.columns[c.Table+"."+c.Column], "blob ") {
				t.Errorf("%s.%s is listed as sealed but is %q in the schema", c.Table, c.Column, sc.columns[c.Table+"."+c.Column])
			}
		}
		for col, class := range sc.columns {
			table, name, _ := strings.Cut(col, ".")
			if !tokenTables[table] && table != "users" || name == "seal_token" || notSealed[col] || !strings.HasPrefix(class, "blob ") {
				continue
			}
			if !listed[col] {
				t.Errorf("%s holds binary data but is not in SealedColumns (rotation would skip it)", col)
			}
		}

		keeper := func(spec string) *secrets.FieldCipher {
			k, err := secrets.OpenKeeper(ctx, spec, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { k.Close() })
			return secrets.NewFieldCipher(k, nil)
		}
		keyA := "base64key://" + strings.Repeat("A", 43) + "="
		keyB := "base64key://" + strings.Repeat("B", 43) + "="
		fA := keeper(keyA)
		s.SetCipher(fA)

		full := ReporterContact{Name: "Nora Name", Phone: "709-555-0102", Email: "nora@example.org", Relationship: "niece"}
		if _, err := s.CreateCase(ctx, newCase("Token Row"), full, nil, nil); err != nil {
			t.Fatal(err)
		}
		oldID, err := s.CreateCase(ctx, newCase("Old Row"), ReporterContact{}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		// A row from before seal tokens: its values are bound to its id.
		if _, err := s.wdb.ExecContext(ctx, "UPDATE cases SET seal_token = NULL WHERE id = ?", oldID); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateReporterContact(ctx, oldID, full, nil); err != nil {
			t.Fatal(err)
		}
		pub := mustCreate(t, s, newCase("Tip Row"), StatusMissing)
		if _, err := s.CreateTip(ctx, &Tip{CaseID: pub, Message: "m"}, TipContact{Name: "Tom", Phone: "709-555-0103", Email: "tom@example.org"}); err != nil {
			t.Fatal(err)
		}
		u := newUser(t, s, "rot@example.org", RoleAdmin)
		if err := s.SetTOTP(ctx, u.ID, []byte("JBSWY3DPEHPK3PXP"), "", nil); err != nil {
			t.Fatal(err)
		}

		if _, err := s.Enqueue(ctx, testMail(1)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Subscribe(ctx, subReq("sub@example.org", 0, []string{"Avalon"}, time.Now())); err != nil {
			t.Fatal(err)
		}

		// A pending public note: its text and display name are sealed.
		if _, err := s.SetNotesAllowed(ctx, pub, true, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateNote(ctx, pub, NoteSupport, NoteText{Message: "Thinking of you", DisplayName: "Ann"}); err != nil {
			t.Fatal(err)
		}

		fB := keeper(keyB + " " + keyA)
		counts, err := secrets.Rotate(ctx, s, fB, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := 4 + 4 + 3 + 1 + 2 + 1 + 2 // outbox: the mail and the subscription's confirmation; the subscription; the note
		if counts.Rewrapped != want || counts.Unreadable != 0 {
			t.Fatalf("rotation %v, want %d re-wrapped", counts, want)
		}
		// Every column now opens with the new key alone.
		only := keeper(keyB)
		seen := map[string]int{}
		for _, col := range SealedColumns() {
			vals, err := s.ListSealed(ctx, col.Table, col.Column, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if _, err := only.OpenRow(ctx, v.Value, col.Table, col.Column, v.ID, v.Token); err != nil {
					t.Errorf("%s.%s row %d after rotation: %v", col.Table, col.Column, v.ID, err)
				}
				seen[col.Table+"."+col.Column]++
			}
		}
		for _, col := range SealedColumns() {
			if seen[col.Table+"."+col.Column] == 0 {
				t.Errorf("%s.%s: nothing rotated", col.Table, col.Column)
			}
		}
		if _, err := only.OpenRow(ctx, mustCase(t, s, oldID).ReporterEmail, "cases", "reporter_email", oldID, nil); err != nil {
			t.Errorf("old row's email after rotation: %v", err)
		}
	})
}

func mustCase(t *testing.T, s *Store, id int64) *Case {
	t.Helper()
	c, err := s.GetCase(ctxT(t), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
