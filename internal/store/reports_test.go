package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var referenceRe = regexp.MustCompile(`^NL-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$`)

// TestReferenceFormatAndSpread: references look like NL-7KQ4-2M, use no
// look-alike characters, do not repeat, and carry no order: consecutive
// ones go up about as often as down, and every position takes most of the
// alphabet.
func TestReferenceFormatAndSpread(t *testing.T) {
	const n = 2000
	seen := map[string]bool{}
	perPos := make([]map[byte]bool, 10)
	for i := range perPos {
		perPos[i] = map[byte]bool{}
	}
	ups := 0
	prev := ""
	for range n {
		r, err := newReference()
		if err != nil {
			t.Fatal(err)
		}
		if !referenceRe.MatchString(r) {
			t.Fatalf("reference %q does not match %s", r, referenceRe)
		}
		if strings.ContainsAny(r[3:], "01OILU") {
			t.Fatalf("reference %q has a look-alike character", r)
		}
		if seen[r] {
			t.Fatalf("reference %q drawn twice in %d", r, n)
		}
		seen[r] = true
		for i := range len(r) {
			perPos[i][r[i]] = true
		}
		if prev != "" && r > prev {
			ups++
		}
		prev = r
	}
	// Sequential or time-based references would go up (almost) every time;
	// random ones about half the time (sd ≈ 22 here, so this cannot flake).
	if ups < 800 || ups > 1200 {
		t.Errorf("%d of %d consecutive references increase: not random", ups, n-1)
	}
	for _, i := range []int{3, 4, 5, 6, 8, 9} {
		if len(perPos[i]) < 25 {
			t.Errorf("position %d took only %d of %d symbols", i, len(perPos[i]), len(refAlphabet))
		}
	}
}

func TestReportTokenShape(t *testing.T) {
	a, err := newReportToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newReportToken()
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 32 || len(a) != 43 || a == b {
		t.Fatalf("token %q (%d bytes, %v), second %q", a, len(raw), err, b)
	}
}

func TestCreateReport(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC)
		audit := &AuditEntry{Action: "case.report", Summary: "report submitted on the public form"}
		c := newCase("Rita Reported")
		rc, err := s.CreateReport(ctx, c, ReporterContact{Name: "Rhoda Reporter", Email: "rhoda@example.org"}, []Photo{{Key: "rep-1"}}, audit, at)
		if err != nil {
			t.Fatal(err)
		}
		if rc.CaseID == 0 || rc.CaseID != c.ID || !referenceRe.MatchString(rc.Reference) || len(rc.Token) != 43 {
			t.Fatalf("receipt %+v", rc)
		}
		if want := at.Add(ReportLinkLifetime); !rc.ExpiresAt.Equal(want) || ReportLinkLifetime != 60*24*time.Hour {
			t.Errorf("expires %v, want %v", rc.ExpiresAt, want)
		}
		got, err := s.GetCase(ctx, rc.CaseID)
		if err != nil || got.Status != StatusPending {
			t.Fatalf("case %+v %v", got, err)
		}
		// Only the hash of the token is stored; the reference is.
		var ref string
		var hash []byte
		if err := s.db.QueryRowContext(ctx, "SELECT reference, token_hash FROM report_access WHERE case_id = ?", rc.CaseID).Scan(&ref, &hash); err != nil {
			t.Fatal(err)
		}
		if ref != rc.Reference || !bytes.Equal(hash, tokenHash(rc.Token)) || bytes.Contains(hash, []byte(rc.Token)) {
			t.Errorf("stored %q / %x", ref, hash)
		}
		if !strings.Contains(audit.Summary, rc.Reference) || strings.Contains(audit.Summary, "Rhoda") {
			t.Errorf("audit summary %q", audit.Summary)
		}
		a, err := s.ReportAccessByToken(ctx, rc.Token)
		if err != nil || a.CaseID != rc.CaseID || a.Reference != rc.Reference || !a.Open(at) || a.Open(rc.ExpiresAt) || !a.Open(rc.ExpiresAt.Add(-time.Microsecond)) {
			t.Fatalf("access %+v %v", a, err)
		}
		if b, err := s.ReportAccessForCase(ctx, rc.CaseID); err != nil || b.Reference != rc.Reference {
			t.Fatalf("access for case %+v %v", b, err)
		}
		if id, err := s.CaseIDByReference(ctx, " "+strings.ToLower(rc.Reference)+" "); err != nil || id != rc.CaseID {
			t.Fatalf("case by reference: %d %v", id, err)
		}
		_, err = s.CaseIDByReference(ctx, "NL-2222-22")
		wantErr(t, err, ErrNotFound)
		flipped := "A"
		if rc.Token[42] == 'A' {
			flipped = "E"
		}
		_, err = s.ReportAccessByToken(ctx, rc.Token[:42]+flipped)
		wantErr(t, err, ErrNotFound)
		_, err = s.ReportAccessForCase(ctx, mustCreate(t, s, newCase("Admin Made"), StatusMissing))
		wantErr(t, err, ErrNotFound)

		// Only pending reports come from the public form.
		pub := newCase("Not A Report")
		pub.Status = StatusMissing
		_, err = s.CreateReport(ctx, pub, ReporterContact{}, nil, nil, at)
		wantErr(t, err, ErrIllegalTransition)

		// Many reports: distinct references and tokens.
		refs, toks := map[string]bool{rc.Reference: true}, map[string]bool{rc.Token: true}
		for i := range 30 {
			r, err := s.CreateReport(ctx, newCase(fmt.Sprintf("Person %d", i)), ReporterContact{}, nil, nil, at)
			if err != nil {
				t.Fatal(err)
			}
			if refs[r.Reference] || toks[r.Token] {
				t.Fatalf("repeated reference or token %+v", r)
			}
			refs[r.Reference], toks[r.Token] = true, true
		}
	})
}

// A drawn reference that is already taken is drawn again inside the same
// transaction; if every draw collides the report is not stored at all.
func TestCreateReportReferenceCollision(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := now()
		draws := []string{"NL-AAAA-22", "NL-AAAA-22", "NL-BBBB-33"}
		s.refGen = func() (string, error) {
			r := draws[0]
			if len(draws) > 1 {
				draws = draws[1:]
			}
			return r, nil
		}
		first, err := s.CreateReport(ctx, newCase("First Person"), ReporterContact{}, nil, nil, at)
		if err != nil || first.Reference != "NL-AAAA-22" {
			t.Fatalf("first %+v %v", first, err)
		}
		second, err := s.CreateReport(ctx, newCase("Second Person"), ReporterContact{}, nil, nil, at)
		if err != nil || second.Reference != "NL-BBBB-33" {
			t.Fatalf("second %+v %v", second, err)
		}
		s.refGen = func() (string, error) { return "NL-BBBB-33", nil }
		before, err := s.CountCasesByStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateReport(ctx, newCase("Third Person"), ReporterContact{}, nil, nil, at); err == nil {
			t.Fatal("a report whose every reference collides was stored")
		}
		after, _ := s.CountCasesByStatus(ctx)
		if after[StatusPending] != before[StatusPending] {
			t.Fatalf("pending %d → %d: the case was kept without its reference", before[StatusPending], after[StatusPending])
		}
	})
}

func TestReportLinkLifecycle(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC)
		rc, err := s.CreateReport(ctx, newCase("Pending Person"), ReporterContact{}, nil, nil, at)
		if err != nil {
			t.Fatal(err)
		}
		audit := &AuditEntry{Action: "report.add", UserEmail: "reporter"}
		if _, err := s.AddReportInfo(ctx, rc.Token, "She may have taken the ferry.", []AdditionPhoto{{Key: "k1", Width: 800, Height: 1000}}, at.Add(time.Hour), audit); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(audit.Summary, rc.Reference) || strings.Contains(audit.Summary, "ferry") {
			t.Errorf("audit summary %q", audit.Summary)
		}
		_, err = s.AddReportInfo(ctx, rc.Token, "", nil, at, nil)
		wantErr(t, err, ErrInvalid)
		_, err = s.AddReportInfo(ctx, "no-such-token", "hello", nil, at, nil)
		wantErr(t, err, ErrNotFound)
		// The link's lifetime ends exactly at ExpiresAt.
		_, err = s.AddReportInfo(ctx, rc.Token, "late", nil, rc.ExpiresAt, nil)
		wantErr(t, err, ErrReportClosed)
		_, err = s.WithdrawReport(ctx, rc.Token, "", rc.ExpiresAt.Add(time.Hour), nil)
		wantErr(t, err, ErrReportClosed)
		if info, wd, err := s.CountOpenAdditions(ctx); err != nil || info != 1 || wd != 0 {
			t.Fatalf("open additions %d/%d %v", info, wd, err)
		}

		// Withdrawing a pending report rejects it at once.
		res, err := s.WithdrawReport(ctx, rc.Token, "We found her, thank you.", at.Add(2*time.Hour), &AuditEntry{Action: "report.withdraw", UserEmail: "reporter"})
		if err != nil || !res.Immediate || res.CaseID != rc.CaseID || res.Reference != rc.Reference {
			t.Fatalf("withdraw %+v %v", res, err)
		}
		c, err := s.GetCase(ctx, rc.CaseID)
		if err != nil || c.Status != StatusRejected || c.RejectReason != WithdrawnByReporter {
			t.Fatalf("after withdrawal %+v %v", c, err)
		}
		a, err := s.ReportAccessByToken(ctx, rc.Token)
		if err != nil || a.WithdrawnAt == nil || a.Open(at) {
			t.Fatalf("access after withdrawal %+v %v", a, err)
		}
		// Replays change nothing.
		_, err = s.WithdrawReport(ctx, rc.Token, "", at.Add(3*time.Hour), nil)
		wantErr(t, err, ErrReportClosed)
		_, err = s.AddReportInfo(ctx, rc.Token, "again", nil, at.Add(3*time.Hour), nil)
		wantErr(t, err, ErrReportClosed)
		adds, err := s.ListReportAdditions(ctx, rc.CaseID)
		if err != nil || len(adds) != 2 || adds[0].Kind != AdditionWithdraw || adds[0].HandledAt == nil || adds[0].Message != "We found her, thank you." ||
			adds[1].Kind != AdditionInfo || len(adds[1].Photos) != 1 || adds[1].Photos[0].Key != "k1" || adds[1].Photos[0].Width != 800 {
			t.Fatalf("additions %+v %v", adds, err)
		}
		var audits int
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_entries WHERE record = ? AND user_email = 'reporter'", caseRecord(rc.CaseID)).Scan(&audits); err != nil || audits != 2 {
			t.Fatalf("%d reporter audit entries, %v; want 2", audits, err)
		}

		// A published case: the withdrawal is a request for the moderators.
		pub, err := s.CreateReport(ctx, newCase("Published Person"), ReporterContact{}, nil, nil, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.TransitionCase(ctx, pub.CaseID, StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		res, err = s.WithdrawReport(ctx, pub.Token, "", at, nil)
		if err != nil || res.Immediate {
			t.Fatalf("withdraw published %+v %v", res, err)
		}
		if c, _ := s.GetCase(ctx, pub.CaseID); c.Status != StatusMissing {
			t.Fatalf("published case became %s", c.Status)
		}
		if info, wd, err := s.CountOpenAdditions(ctx); err != nil || info != 1 || wd != 1 {
			t.Fatalf("open additions %d/%d %v", info, wd, err)
		}
		// The dashboard's list: withdrawal requests first.
		waiting, err := s.CasesWithOpenAdditions(ctx, 10)
		if err != nil || len(waiting) != 2 || waiting[0].CaseID != pub.CaseID || waiting[0].Withdraw != 1 || waiting[0].Info != 0 ||
			waiting[1].CaseID != rc.CaseID || waiting[1].Info != 1 || waiting[1].Withdraw != 0 || waiting[1].FullName != "Pending Person" {
			t.Fatalf("cases with open additions %+v %v", waiting, err)
		}
		adds, _ = s.ListReportAdditions(ctx, pub.CaseID)
		if err := s.MarkAdditionHandled(ctx, pub.CaseID, adds[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkAdditionHandled(ctx, pub.CaseID, adds[0].ID, nil); err != nil {
			t.Fatalf("marking twice: %v", err)
		}
		wantErr(t, s.MarkAdditionHandled(ctx, rc.CaseID, adds[0].ID, nil), ErrNotFound)
		if _, wd, _ := s.CountOpenAdditions(ctx); wd != 0 {
			t.Fatalf("withdrawal requests still open: %d", wd)
		}

		// A case a moderator rejected or archived closes the link.
		closed, err := s.CreateReport(ctx, newCase("Rejected Person"), ReporterContact{}, nil, nil, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.TransitionCase(ctx, closed.CaseID, StatusRejected, "duplicate", nil); err != nil {
			t.Fatal(err)
		}
		_, err = s.AddReportInfo(ctx, closed.Token, "hello", nil, at, nil)
		wantErr(t, err, ErrReportClosed)
		_, err = s.WithdrawReport(ctx, closed.Token, "", at, nil)
		wantErr(t, err, ErrReportClosed)
		if a, _ := s.ReportAccessByToken(ctx, closed.Token); a.WithdrawnAt != nil {
			t.Fatal("a refused withdrawal left the link marked withdrawn")
		}
	})
}

// TestWithdrawReportConcurrent: withdrawals of one report released together
// — exactly one goes through, the rest are refused, and the case holds one
// withdrawal.
func TestWithdrawReportConcurrent(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		for _, published := range []bool{false, true} {
			ctx := context.Background()
			at := now()
			rc, err := s.CreateReport(ctx, newCase("Contested Person"), ReporterContact{}, nil, nil, at)
			if err != nil {
				t.Fatal(err)
			}
			if published {
				if err := s.TransitionCase(ctx, rc.CaseID, StatusMissing, "", nil); err != nil {
					t.Fatal(err)
				}
			}
			const n = 8
			start := make(chan struct{})
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = s.WithdrawReport(ctx, rc.Token, fmt.Sprintf("request %d", i), at, &AuditEntry{Action: "report.withdraw", UserEmail: "reporter"})
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, ErrReportClosed):
					t.Errorf("published=%v: unexpected error %v", published, err)
				}
			}
			if ok != 1 {
				t.Fatalf("published=%v: %d withdrawals succeeded, want exactly 1", published, ok)
			}
			adds, err := s.ListReportAdditions(ctx, rc.CaseID)
			if err != nil || len(adds) != 1 {
				t.Fatalf("published=%v: %d additions %v, want 1", published, len(adds), err)
			}
			var audits int
			if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_entries WHERE record = ?", caseRecord(rc.CaseID)).Scan(&audits); err != nil || audits != 1 {
				t.Fatalf("published=%v: %d audit entries, want 1", published, audits)
			}
		}
	})
}

func TestAdoptAdditionPhoto(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := now()
		rc, err := s.CreateReport(ctx, newCase("Photo Person"), ReporterContact{}, []Photo{{Key: "orig-1"}}, nil, at)
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateReport(ctx, newCase("Other Person"), ReporterContact{}, nil, nil, at)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddReportInfo(ctx, rc.Token, "", []AdditionPhoto{{Key: "new-1", Width: 640, Height: 800}, {Key: "new-2"}}, at, nil); err != nil {
			t.Fatal(err)
		}
		// The same key twice (the blob is unique) is refused whole.
		if _, err := s.AddReportInfo(ctx, rc.Token, "dup", []AdditionPhoto{{Key: "new-1"}}, at, nil); err == nil {
			t.Fatal("an addition reusing a photo key was stored")
		}
		adds, err := s.ListReportAdditions(ctx, rc.CaseID)
		if err != nil || len(adds) != 1 || len(adds[0].Photos) != 2 {
			t.Fatalf("additions %+v %v", adds, err)
		}
		p := adds[0].Photos[0]
		if ap, err := s.AdditionPhotoByKey(ctx, "new-1"); err != nil || ap.ID != p.ID {
			t.Fatalf("by key %+v %v", ap, err)
		}
		// Only through its own case.
		_, err = s.AdoptAdditionPhoto(ctx, other.CaseID, p.ID, nil)
		wantErr(t, err, ErrNotFound)
		audit := &AuditEntry{Action: "case.photo_adopt", UserEmail: "mod@example.org"}
		got, err := s.AdoptAdditionPhoto(ctx, rc.CaseID, p.ID, audit)
		if err != nil || got.Key != "new-1" || got.Position != 1 || got.Primary || got.Width != 640 {
			t.Fatalf("adopted %+v %v", got, err)
		}
		if audit.ID == 0 {
			t.Error("adoption not audited")
		}
		photos, _ := s.ListPhotos(ctx, rc.CaseID)
		if len(photos) != 2 || photos[1].Key != "new-1" {
			t.Fatalf("case photos %+v", photos)
		}
		_, err = s.AdditionPhotoByKey(ctx, "new-1")
		wantErr(t, err, ErrNotFound)
		_, err = s.AdoptAdditionPhoto(ctx, rc.CaseID, p.ID, nil)
		wantErr(t, err, ErrNotFound)

		// Retention withdraws the addition photos with the case's own.
		if err := s.TransitionCase(ctx, rc.CaseID, StatusMissing, "", nil); err != nil {
			t.Fatal(err)
		}
		if err := s.TransitionCase(ctx, rc.CaseID, StatusLocated, "", nil); err != nil {
			t.Fatal(err)
		}
		gone, err := s.WithdrawPersonal(ctx, rc.CaseID, nil)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, g := range gone {
			keys = append(keys, g.Key)
		}
		if strings.Join(keys, ",") != "orig-1,new-1,new-2" {
			t.Fatalf("withdrawn photos %v", keys)
		}
		_, err = s.AdditionPhotoByKey(ctx, "new-2")
		wantErr(t, err, ErrNotFound)
	})
}
