package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"
)

// Every exported Store method that takes an *AuditEntry is a write someone
// decided on: it is in exactly one of these lists. TestContentRevisionGuard
// fails on a new write that is in neither, so the page cache cannot go
// stale because a write was added without thinking about it.
var (
	// contentBumps change something a public page shows (CreateCase only
	// when the case is created published).
	contentBumps = []string{
		"CreateCase", "UpdateCase", "TransitionCase", "WithdrawPersonal",
		"AddPhotos", "ReorderPhotos", "SetPrimaryPhoto", "DeletePhoto",
		"AddUpdate", "EditUpdate", "DeleteUpdate",
		"AddUpdateText", "EditUpdateText", // with the other-language text (issue 18)
		"CreateResource", "UpdateResource", "DeleteResource", "ReorderResources",
		"AdoptAdditionPhoto", // only when the case is public
		"MergeCase",          // only when photos (or public notes) move onto a published case
		// Public notes (issue 19): an approved note and the switch show on
		// the case page (TestNotesLifecycle, TestNotesFlagAndClosing).
		"ApproveNote", "RemoveNote", "SetNotesAllowed",
	}
	// contentKeeps change nothing public: staff, inbox, security and the
	// sealed reporter contact.
	contentKeeps = []string{
		"SetUserLang", // a staff member's own admin language
		"AppendAudit", "SetMessageRead", "SetTipState", "SetSetting", "UpdateReporterContact",
		"CreateUser", "UpdateUser", "SetTOTP",
		"SetPassword", "ResetPassword", "UsePasswordReset",
		// The reporter's link: a pending report, additions for the
		// moderators, a withdrawal (pending → rejected is on no public page).
		"CreateReport", "CreateReportWithHeld", "AddReportInfo", "WithdrawReport", "MarkAdditionHandled",
		// The mail outbox is for staff only.
		"RequeueMail",
		// A PFIF import creates pending cases only (createCase bumps for
		// a public status, which ImportPFIFCase refuses).
		"ImportPFIFCase",
		// A pending note was never public.
		"RejectNote",
	}
)

func TestContentRevisionGuard(t *testing.T) {
	auditType := reflect.TypeOf(&AuditEntry{})
	st := reflect.TypeOf(&Store{})
	takesAudit := map[string]bool{}
	for i := range st.NumMethod() {
		m := st.Method(i)
		for j := range m.Type.NumIn() {
			if m.Type.In(j) == auditType {
				takesAudit[m.Name] = true
			}
		}
	}
	if len(takesAudit) < len(contentBumps) {
		t.Fatalf("found only %d methods taking *AuditEntry: the reflection is broken", len(takesAudit))
	}
	for name := range takesAudit {
		b, k := slices.Contains(contentBumps, name), slices.Contains(contentKeeps, name)
		switch {
		case b && k:
			t.Errorf("%s is in both contentBumps and contentKeeps", name)
		case !b && !k:
			t.Errorf("Store.%s takes an *AuditEntry but is in neither contentBumps nor contentKeeps: decide whether it changes a public page (then call bumpContent in its transaction) and list it", name)
		}
	}
	for _, name := range slices.Concat(contentBumps, contentKeeps) {
		if _, ok := st.MethodByName(name); !ok {
			t.Errorf("%s is listed but Store has no such method any more", name)
		} else if !takesAudit[name] {
			t.Errorf("%s is listed but no longer takes an *AuditEntry", name)
		}
	}
}

func rev(t *testing.T, s *Store) int64 {
	t.Helper()
	r, err := s.ContentRevision(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// revChecker runs writes and checks what each did to the revision,
// remembering which methods it saw.
type revChecker struct {
	t       *testing.T
	s       *Store
	bumped  map[string]bool
	checked map[string]bool
}

// bumps runs fn (a successful write named name) and wants the revision
// advanced by exactly one, with the case *caseID (read after fn: fn may
// create it) logged as the revision's change, or no case (0) when caseID
// is nil.
func (c *revChecker) bumps(name string, caseID *int64, fn func() error) {
	c.t.Helper()
	before := rev(c.t, c.s)
	if err := fn(); err != nil {
		c.t.Fatalf("%s: %v", name, err)
	}
	after := rev(c.t, c.s)
	if after != before+1 {
		c.t.Errorf("%s: revision %d → %d, want %d", name, before, after, before+1)
	}
	want := []int64{0}
	if caseID != nil {
		want = []int64{*caseID}
	}
	if got := loggedChanges(c.t, c.s, after); !slices.Equal(got, want) {
		c.t.Errorf("%s: content_changes at revision %d = %v, want %v", name, after, got, want)
	}
	c.bumped[name] = true
}

// loggedChanges is the cases content_changes holds for revision r.
func loggedChanges(t *testing.T, s *Store, r int64) []int64 {
	t.Helper()
	rows, err := s.db.QueryContext(ctxT(t), "SELECT case_id FROM content_changes WHERE rev = ? ORDER BY case_id", r)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// keeps runs fn (a successful write) and wants the revision unchanged.
func (c *revChecker) keeps(name string, fn func() error) {
	c.t.Helper()
	before := rev(c.t, c.s)
	if err := fn(); err != nil {
		c.t.Fatalf("%s: %v", name, err)
	}
	if after := rev(c.t, c.s); after != before {
		c.t.Errorf("%s: revision %d → %d, want unchanged", name, before, after)
	}
	c.checked[name] = true
}

func auditAs(action string) *AuditEntry {
	return &AuditEntry{Action: action, UserEmail: "admin@example.org"}
}

func TestContentRevisionStartsAtZero(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		if r := rev(t, s); r != 0 {
			t.Fatalf("fresh revision = %d, want 0", r)
		}
		var n int
		if err := s.db.QueryRowContext(ctxT(t), "SELECT COUNT(*) FROM content_revision").Scan(&n); err != nil || n != 1 {
			t.Fatalf("content_revision rows = %d, %v; want 1", n, err)
		}
	})
}

func TestContentRevisionWrites(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		c := &revChecker{t: t, s: s, bumped: map[string]bool{}, checked: map[string]bool{}}

		// Writes that leave the public pages as they were, around the
		// creation of a published case (tips are only taken for those).
		pending := newCase("Pending Report")
		var pendingID int64
		c.keeps("CreateCase", func() (err error) {
			pendingID, err = s.CreateCase(ctx, pending, ReporterContact{Name: "Reporter", Phone: "709-555-0199"}, []Photo{{Key: "pending-1"}}, auditAs("case.report"))
			return err
		})
		pub := newCase("Published Person")
		pub.Status = StatusMissing
		var pubID int64
		c.bumps("CreateCase", &pubID, func() (err error) {
			pubID, err = s.CreateCase(ctx, pub, ReporterContact{Name: "R"}, []Photo{{Key: "pub-1"}}, auditAs("case.create"))
			return err
		})
		// Even on a published case: the reporter contact is never shown.
		c.keeps("UpdateReporterContact", func() error {
			return s.UpdateReporterContact(ctx, pubID, ReporterContact{Name: "Other Reporter"}, auditAs("case.reporter"))
		})
		var tipID int64
		c.keeps("CreateTip", func() (err error) {
			tipID, err = s.CreateTip(ctx, &Tip{CaseID: pubID, Message: "seen near the wharf"}, TipContact{Phone: "709-555-0123"})
			return err
		})
		c.keeps("SetTipState", func() error { return s.SetTipState(ctx, tipID, TipReviewed, "called back", auditAs("tip.state")) })
		var msgID int64
		c.keeps("CreateMessage", func() (err error) {
			msgID, err = s.CreateMessage(ctx, &Message{Name: "N", Email: "n@example.org", Subject: "S", Body: "hello"})
			return err
		})
		c.keeps("SetMessageRead", func() error { return s.SetMessageRead(ctx, msgID, true, auditAs("message.read")) })
		u := &User{Email: "mod@example.org", DisplayName: "Mod", PasswordHash: "h", Role: RoleModerator}
		c.keeps("CreateUser", func() (err error) {
			_, err = s.CreateUser(ctx, u, auditAs("user.create"))
			return err
		})
		c.keeps("UpdateUser", func() error {
			u.DisplayName = "Moderator"
			return s.UpdateUser(ctx, u, auditAs("user.update"))
		})
		c.keeps("SetUserLang", func() error { return s.SetUserLang(ctx, u.ID, "fr-CA", auditAs("user.lang")) })
		c.keeps("SetTOTP", func() error { return s.SetTOTP(ctx, u.ID, []byte("secret"), "codes", auditAs("user.totp")) })
		c.keeps("SetPassword", func() error { return s.SetPassword(ctx, u.ID, "h2", auditAs("user.password_change")) })
		c.keeps("ResetPassword", func() error {
			at := now()
			return s.ResetPassword(ctx, &PasswordReset{TokenHash: []byte("token-hash"), UserID: u.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}, "h3", auditAs("user.password_reset"))
		})
		c.keeps("UsePasswordReset", func() error {
			_, err := s.UsePasswordReset(ctx, []byte("token-hash"), "h4", now(), auditAs("user.password_set"))
			return err
		})
		c.keeps("SetSetting", func() error { return s.SetSetting(ctx, "require_2fa", "1", auditAs("setting.require_2fa")) })
		c.keeps("AppendAudit", func() error { return s.AppendAudit(ctx, auditAs("user.login_failed")) })
		c.keeps("AcquireLease", func() error { _, err := s.AcquireLease(ctx, "job", "me", time.Minute); return err })
		c.keeps("RecordLoginFailure", func() error { return s.RecordLoginFailure(ctx, "key", now()) })

		// The reporter's side: a report, an addition with a photo, a
		// moderator adopting it while the case is pending (nothing public),
		// marking it handled, the reporter withdrawing.
		var rc ReportReceipt
		c.keeps("CreateReport", func() (err error) {
			rc, err = s.CreateReport(ctx, newCase("Reported Person"), ReporterContact{Email: "r@example.org"}, nil, auditAs("case.report"), now())
			return err
		})
		// A report sent with photos held for its form (pending: nothing
		// public).
		c.keeps("CreateReportWithHeld", func() error {
			tok, err := NewFormToken()
			if err != nil {
				return err
			}
			held, err := s.HoldReportPhotos(ctx, tok, []HeldPhoto{{Key: "held-content-1"}}, 5, now())
			if err != nil {
				return err
			}
			_, err = s.CreateReportWithHeld(ctx, newCase("Held Photo Person"), ReporterContact{Email: "h@example.org"}, tok, []int64{held[0].ID}, auditAs("case.report"), now())
			return err
		})
		var addID int64
		c.keeps("AddReportInfo", func() (err error) {
			addID, err = s.AddReportInfo(ctx, rc.Token, "more details", []AdditionPhoto{{Key: "add-1", Width: 1, Height: 1}, {Key: "add-2"}}, now(), auditAs("report.add"))
			return err
		})
		addPhotos := func() []AdditionPhoto {
			as, err := s.ListReportAdditions(ctx, rc.CaseID)
			if err != nil || len(as) == 0 {
				t.Fatalf("additions %v %v", as, err)
			}
			return as[len(as)-1].Photos
		}
		c.keeps("AdoptAdditionPhoto", func() error {
			_, err := s.AdoptAdditionPhoto(ctx, rc.CaseID, addPhotos()[0].ID, auditAs("case.photo_adopt"))
			return err
		})
		// A PFIF import: a pending case, nothing public.
		c.keeps("ImportPFIFCase", func() error {
			pc := newCase("Imported Person")
			pc.Status = StatusPending
			_, _, err := s.ImportPFIFCase(ctx, "partner.example/p1", pc, auditAs("case.import_pfif"))
			return err
		})
		c.keeps("MarkAdditionHandled", func() error { return s.MarkAdditionHandled(ctx, rc.CaseID, addID, auditAs("case.addition_handled")) })
		c.keeps("RequeueMail", func() error {
			if _, err := s.Enqueue(ctx, testMail(1)); err != nil {
				return err
			}
			got, err := s.ClaimOutbox(ctx, "t", 1, time.Minute)
			if err != nil || len(got) != 1 {
				return fmt.Errorf("claim: %d, %w", len(got), err)
			}
			if _, err := s.FailMail(ctx, got[0].ID, "t", "550"); err != nil {
				return err
			}
			return s.RequeueMail(ctx, got[0].ID, auditAs("outbox.requeue"))
		})
		// Published, the adoption changes the public page.
		pubRep := newCase("Published Reported Person")
		pubRep.PoliceVerified = true
		var rc2 ReportReceipt
		c.keeps("CreateReport", func() (err error) {
			rc2, err = s.CreateReport(ctx, pubRep, ReporterContact{}, nil, nil, now())
			return err
		})
		if err := s.TransitionCase(ctx, rc2.CaseID, StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddReportInfo(ctx, rc2.Token, "", []AdditionPhoto{{Key: "add-3"}}, now(), nil); err != nil {
			t.Fatal(err)
		}
		c.bumps("AdoptAdditionPhoto", &rc2.CaseID, func() error {
			as, err := s.ListReportAdditions(ctx, rc2.CaseID)
			if err != nil || len(as) != 1 || len(as[0].Photos) != 1 {
				t.Fatalf("additions %v %v", as, err)
			}
			_, err = s.AdoptAdditionPhoto(ctx, rc2.CaseID, as[0].Photos[0].ID, auditAs("case.photo_adopt"))
			return err
		})
		c.keeps("WithdrawReport", func() error {
			_, err := s.WithdrawReport(ctx, rc.Token, "", now(), auditAs("report.withdraw"))
			return err
		})

		// A report merged into a pending case changes nothing public;
		// its photos merged into a published case do.
		mergeInto := func(into int64, key string) error {
			from, err := s.CreateCase(ctx, newCase("Merged Report"), ReporterContact{}, []Photo{{Key: key}}, nil)
			if err != nil {
				return err
			}
			_, err = s.MergeCase(ctx, from, into, auditAs("case.merge"))
			return err
		}
		c.keeps("MergeCase", func() error {
			into, err := s.CreateCase(ctx, newCase("Pending Target"), ReporterContact{}, nil, nil)
			if err != nil {
				return err
			}
			return mergeInto(into, "merge-1")
		})
		c.bumps("MergeCase", &pubID, func() error { return mergeInto(pubID, "merge-2") })

		// Public notes (issue 19): the switch and an approved note show on
		// the case page; a new note, and a rejected one, do not.
		c.bumps("SetNotesAllowed", &pubID, func() error {
			_, err := s.SetNotesAllowed(ctx, pubID, true, auditAs("case.notes"))
			return err
		})
		var noteID int64
		c.keeps("CreateNote", func() (err error) {
			noteID, err = s.CreateNote(ctx, pubID, NoteSupport, NoteText{Message: "Thinking of you"})
			return err
		})
		c.bumps("ApproveNote", &pubID, func() error {
			return s.ApproveNote(ctx, noteID, NoteText{Message: "Thinking of you"}, auditAs("note.approve"))
		})
		c.bumps("RemoveNote", &pubID, func() error { return s.RemoveNote(ctx, noteID, auditAs("note.remove")) })
		c.keeps("RejectNote", func() error {
			id, err := s.CreateNote(ctx, pubID, NoteSharing, NoteText{})
			if err != nil {
				return err
			}
			return s.RejectNote(ctx, id, auditAs("note.reject"))
		})

		// Writes that change what the public sees.
		c.bumps("UpdateCase", &pubID, func() error {
			pub.Clothing = "blue parka"
			return s.UpdateCase(ctx, pub, auditAs("case.edit"))
		})
		c.bumps("AddPhotos", &pubID, func() error {
			return s.AddPhotos(ctx, pubID, []Photo{{Key: "pub-2"}, {Key: "pub-3"}}, auditAs("case.photos_add"))
		})
		photoIDs := func() []int64 {
			ps, err := s.ListPhotos(ctx, pubID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			return ids
		}
		c.bumps("ReorderPhotos", &pubID, func() error {
			ids := photoIDs()
			slices.Reverse(ids)
			return s.ReorderPhotos(ctx, pubID, ids, auditAs("case.photos_order"))
		})
		c.bumps("SetPrimaryPhoto", &pubID, func() error {
			return s.SetPrimaryPhoto(ctx, pubID, photoIDs()[1], auditAs("case.photo_primary"))
		})
		c.bumps("DeletePhoto", &pubID, func() error {
			_, err := s.DeletePhoto(ctx, pubID, photoIDs()[0], auditAs("case.photo_delete"))
			return err
		})
		var updID int64
		c.bumps("AddUpdate", &pubID, func() (err error) {
			updID, err = s.AddUpdate(ctx, pubID, "Search resumes at dawn.", auditAs("case.update_add"))
			return err
		})
		c.bumps("EditUpdate", &pubID, func() error {
			return s.EditUpdate(ctx, pubID, updID, "Search resumes at 6 a.m.", auditAs("case.update_edit"))
		})
		c.bumps("AddUpdateText", &pubID, func() (err error) {
			updID, err = s.AddUpdateText(ctx, pubID, UpdateText{Body: "Search resumes at dawn.", BodyAlt: "Les recherches reprennent à l'aube."}, auditAs("case.update_add"))
			return err
		})
		c.bumps("EditUpdateText", &pubID, func() error {
			return s.EditUpdateText(ctx, pubID, updID, UpdateText{Body: "Search resumes at 6 a.m."}, auditAs("case.update_edit"))
		})
		c.bumps("DeleteUpdate", &pubID, func() error { return s.DeleteUpdate(ctx, pubID, updID, auditAs("case.update_delete")) })

		// Every transition changes the public set or a case page: publish,
		// locate, re-open, archive.
		c.bumps("TransitionCase", &pendingID, func() error { return s.TransitionCase(ctx, pendingID, StatusMissing, "", auditAs("case.publish")) })
		c.bumps("TransitionCase", &pubID, func() error { return s.TransitionCase(ctx, pubID, StatusLocated, "", auditAs("case.locate")) })
		c.bumps("WithdrawPersonal", &pubID, func() error {
			_, err := s.WithdrawPersonal(ctx, pubID, auditAs("case.withdraw"))
			return err
		})
		c.bumps("TransitionCase", &pubID, func() error { return s.TransitionCase(ctx, pubID, StatusArchived, "", auditAs("case.archive")) })

		r := &Resource{Title: "Search and Rescue NL", Category: CategorySearchRescue, Phone: "709-555-0111"}
		c.bumps("CreateResource", nil, func() (err error) {
			_, err = s.CreateResource(ctx, r, auditAs("resource.create"))
			return err
		})
		c.bumps("UpdateResource", nil, func() error {
			r.Description = "Volunteer ground search teams"
			return s.UpdateResource(ctx, r, auditAs("resource.update"))
		})
		c.bumps("ReorderResources", nil, func() error {
			rs, err := s.ListResources(ctx)
			if err != nil {
				return err
			}
			var ids []int64
			for _, x := range rs {
				ids = append(ids, x.ID)
			}
			slices.Reverse(ids)
			return s.ReorderResources(ctx, ids, auditAs("resource.order"))
		})
		c.bumps("DeleteResource", nil, func() error { return s.DeleteResource(ctx, r.ID, auditAs("resource.delete")) })

		// The behaviour above covers every listed method.
		for _, name := range contentBumps {
			if !c.bumped[name] {
				t.Errorf("%s is in contentBumps but was not shown to bump", name)
			}
		}
		for _, name := range contentKeeps {
			if !c.checked[name] {
				t.Errorf("%s is in contentKeeps but was not shown to keep the revision", name)
			}
		}
	})
}

// TestContentRevisionRollback: a write that fails leaves the revision as it
// was, including a bump that ran before the transaction was rolled back.
func TestContentRevisionRollback(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		pub := newCase("Published Person")
		id := mustCreate(t, s, pub, StatusMissing)
		before := rev(t, s)

		bad := *pub
		bad.ID = id
		bad.PoliceVerified = false
		wantErr(t, s.UpdateCase(ctx, &bad, auditAs("case.edit")), ErrPublishRequirements)
		wantErr(t, s.TransitionCase(ctx, id, StatusPending, "", auditAs("case.status")), ErrIllegalTransition)
		_, err := s.WithdrawPersonal(ctx, id, auditAs("case.withdraw"))
		wantErr(t, err, ErrIllegalTransition)
		_, err = s.AddUpdate(ctx, id+1000, "no such case", auditAs("case.update_add"))
		wantErr(t, err, ErrNotFound)

		boom := errors.New("boom")
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			if err := bumpContent(ctx, tx); err != nil {
				return err
			}
			return boom
		})
		wantErr(t, err, boom)
		if after := rev(t, s); after != before {
			t.Fatalf("revision %d → %d after failed writes, want unchanged", before, after)
		}
	})
}

// TestContentRevisionRowMissing: without its row the revision cannot be
// read, and a write that should bump fails whole rather than leave every
// cache stale.
func TestContentRevisionRowMissing(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		id := mustCreate(t, s, newCase("Published Person"), StatusMissing)
		if _, err := s.wdb.ExecContext(ctx, "DELETE FROM content_revision"); err != nil {
			t.Fatal(err)
		}
		_, err := s.ContentRevision(ctx)
		wantErr(t, err, ErrNotFound)
		_, err = s.AddUpdate(ctx, id, "lost update", auditAs("case.update_add"))
		if err == nil || errors.Is(err, ErrNotFound) {
			t.Fatalf("AddUpdate without the revision row: %v, want a non-ErrNotFound error", err)
		}
		if us, err := s.ListUpdates(ctx, id); err != nil || len(us) != 0 {
			t.Fatalf("updates after the failed write: %d, %v; want none", len(us), err)
		}
	})
}

// TestContentRevisionConcurrent: concurrent content writes on different
// cases all succeed and each advances the revision once (on MySQL they
// queue on the revision row, which each locks last; on SQLite they queue
// on the single writer).
func TestContentRevisionConcurrent(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		const workers, each = 8, 5
		ids := make([]int64, workers)
		for w := range ids {
			ids[w] = mustCreate(t, s, newCase(fmt.Sprintf("Worker Case %d", w)), StatusMissing)
		}
		before := rev(t, s)
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					if _, err := s.AddUpdate(ctx, ids[w], fmt.Sprintf("update %d", i), auditAs("case.update_add")); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		after := rev(t, s)
		if after != before+workers*each {
			t.Fatalf("revision %d → %d, want +%d", before, after, workers*each)
		}
		// Each revision logged exactly its own write's case: a writer
		// reads the revision it bumped, not another's.
		perCase := map[int64]int{}
		for r := before + 1; r <= after; r++ {
			got := loggedChanges(t, s, r)
			if len(got) != 1 {
				t.Fatalf("content_changes at revision %d = %v, want one case", r, got)
			}
			perCase[got[0]]++
		}
		for _, id := range ids {
			if perCase[id] != each {
				t.Errorf("case %d logged at %d revisions, want %d", id, perCase[id], each)
			}
		}
	})
}

// TestRevisionReaderOutsideThePool: with every pooled connection taken (slow
// page builds), ContentRevision waits, while the reader answers at once on
// its own connection and sees writes; after its connection breaks it takes
// a new one.
func TestRevisionReaderOutsideThePool(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		r := s.NewRevisionReader()
		defer r.Close()
		rev0, err := r.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s.db.SetMaxOpenConns(2) // the reader holds one
		held, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		_, err = s.ContentRevision(short)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("ContentRevision with the pool exhausted: %v, want a deadline error (is the pool really full?)", err)
		}
		if got, err := r.Read(ctx); err != nil || got != rev0 {
			t.Fatalf("reader with the pool exhausted: %d, %v", got, err)
		}
		// A write (SQLite writes use their own connection; on MySQL the
		// held one is released for it) shows through the reader.
		if s.wdb == s.db {
			_ = held.Close()
		}
		id := mustCreate(t, s, newCase("Reader Casetest"), StatusMissing)
		if _, err := s.AddUpdate(ctx, id, "Seen at the wharf.", nil); err != nil {
			t.Fatal(err)
		}
		got, err := r.Read(ctx)
		if err != nil || got == rev0 {
			t.Fatalf("reader after writes: %d (was %d), %v", got, rev0, err)
		}
		_ = held.Close()
		s.db.SetMaxOpenConns(0)
		// A broken connection: the read fails once, the next succeeds.
		_ = r.conn.Raw(func(any) error { return driver.ErrBadConn })
		_ = r.conn.Close()
		if _, err := r.Read(ctx); err == nil {
			t.Fatal("read on a closed connection succeeded")
		}
		if again, err := r.Read(ctx); err != nil || again != got {
			t.Fatalf("read after reconnecting: %d, %v", again, err)
		}
		// Past the pool's connection lifetime the reader takes a new one.
		s.readLifetime = time.Nanosecond
		before := r.taken
		time.Sleep(time.Millisecond)
		if _, err := r.Read(ctx); err != nil || !r.taken.After(before) {
			t.Errorf("read past the lifetime kept its connection (err %v)", err)
		}
		s.readLifetime = 0
		before = r.taken
		if _, err := r.Read(ctx); err != nil || !r.taken.Equal(before) {
			t.Errorf("without a lifetime the reader took a new connection (err %v)", err)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	})
}
