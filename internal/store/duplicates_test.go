package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/demo"
	"lostinnl/internal/search"
	"lostinnl/internal/store"
)

// dupCase is a pending-by-default fictional case with the fields the
// duplicate lookup reads.
func dupCase(name string, age int, community, region string) *store.Case {
	c := store.NewTestCase(name)
	c.Age = nil
	if age > 0 {
		c.Age = &age
	}
	c.Community, c.Region = community, region
	return c
}

// TestPossibleDuplicates: the example and everything that must
// stay out, in the order a moderator should read them.
func TestPossibleDuplicates(t *testing.T) {
	store.EachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		mk := func(c *store.Case, st store.Status) int64 { return store.MustCreate(t, s, c, st) }
		report := mk(dupCase("Katherine MacDonald", 34, "Mount Pearl", "Avalon"), store.StatusPending)

		exactNoAge := mk(dupCase("katherine macdonald", 0, "Torbay", "Avalon"), store.StatusMissing)
		sameCommunity := mk(dupCase("Katie McDonald", 36, "mount pearl", "Avalon"), store.StatusPending) // the community as typed differently
		stJohns := mk(dupCase("Catherine McDonald", 35, "St. John's", "Avalon"), store.StatusMissing)
		misfiled := mk(dupCase("Catherine MacDonald", 34, "Mount Pearl", "Eastern"), store.StatusMissing)
		alias := dupCase("Kay Power", 33, "Bay Roberts", "Avalon")
		alias.Aliases = "Kathy MacDonald; Kay"
		byAlias := mk(alias, store.StatusMissing)

		for _, c := range []struct {
			c  *store.Case
			st store.Status
		}{
			{dupCase("Catherine McDonald", 50, "St. John's", "Avalon"), store.StatusMissing},    // 16 years apart
			{dupCase("Katherine MacDonald", 34, "Nain", "Labrador"), store.StatusMissing},       // another place
			{dupCase("Margaret Power", 34, "Mount Pearl", "Avalon"), store.StatusMissing},       // another person
			{dupCase("Katherine Whelan", 34, "Mount Pearl", "Avalon"), store.StatusMissing},     // another family
			{dupCase("Kate MacDonald", 33, "Mount Pearl", "Avalon"), store.StatusLocated},       // closed
			{dupCase("Katherine MacDonald", 34, "Mount Pearl", "Avalon"), store.StatusArchived}, // closed
			{dupCase("Katherine MacDonald", 34, "Mount Pearl", "Avalon"), store.StatusRejected}, // not a case
		} {
			mk(c.c, c.st)
		}

		got, err := s.PossibleDuplicates(ctx, report, search.SimilarTo, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{exactNoAge, misfiled, sameCommunity, stJohns, byAlias}
		if ids := dupIDs(got); fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Fatalf("candidates %v (%s), want %v", ids, dupNames(got), want)
		}
		if !got[0].ExactName || got[0].AgeGap != -1 || !got[0].SameRegion || got[0].SameCommunity {
			t.Errorf("exact match described wrong: %+v", got[0])
		}
		if !got[1].SameCommunity || got[1].SameRegion || got[1].AgeGap != 0 {
			t.Errorf("misfiled match (same community, other region) described wrong: %+v", got[1])
		}
		if !got[2].SameCommunity || got[2].AgeGap != 2 || got[2].ExactName || got[2].Status != store.StatusPending {
			t.Errorf("same-community match described wrong: %+v", got[2])
		}
		if got[3].SameCommunity || !got[3].SameRegion || got[3].AgeGap != 1 || got[3].Community != "St. John's" {
			t.Errorf("St. John's match described wrong: %+v", got[3])
		}
		if !got[4].ByAlias {
			t.Errorf("alias match not marked: %+v", got[4])
		}

		// From the St. John's case the report is found too (closest age,
		// oldest first), and the limit holds.
		back, err := s.PossibleDuplicates(ctx, stJohns, search.SimilarTo, 2)
		if err != nil {
			t.Fatal(err)
		}
		if ids := dupIDs(back); fmt.Sprint(ids) != fmt.Sprint([]int64{report, sameCommunity}) {
			t.Errorf("from the St. John's case: %v (%s), want %v", ids, dupNames(back), []int64{report, sameCommunity})
		}

		if _, err := s.PossibleDuplicates(ctx, 987654, search.SimilarTo, 0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown case: %v, want ErrNotFound", err)
		}
	})
}

// TestPossibleDuplicatesNoPlace: a report without region or community has
// no place to narrow by, so it lists nothing rather than every case.
func TestPossibleDuplicatesNoPlace(t *testing.T) {
	store.EachDialect(t, func(t *testing.T, s *store.Store) {
		id := store.MustCreate(t, s, dupCase("Katherine MacDonald", 34, "", ""), store.StatusPending)
		store.MustCreate(t, s, dupCase("Katherine MacDonald", 34, "", ""), store.StatusMissing)
		got, err := s.PossibleDuplicates(t.Context(), id, search.SimilarTo, 0)
		if err != nil || len(got) != 0 {
			t.Fatalf("%v %v", dupIDs(got), err)
		}
	})
}

func dupIDs(ds []store.Duplicate) []int64 {
	out := make([]int64, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

func dupNames(ds []store.Duplicate) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%d %s/%s/%s; ", d.ID, d.FullName, d.Community, d.Region)
	}
	return b.String()
}

// mergeFixture: a published case with one photo, and a pending report of
// the same person from the public form with two photos and a later
// addition (with a photo) through the reporter's link.
type mergeFixture struct {
	target, report int64
}

func newMergeFixture(t *testing.T, s *store.Store, targetPhotos int) mergeFixture {
	t.Helper()
	ctx := t.Context()
	var f mergeFixture
	f.target = store.MustCreate(t, s, dupCase("Catherine McDonald", 35, "St. John's", "Avalon"), store.StatusMissing)
	for i := range targetPhotos {
		if err := s.AddPhotos(ctx, f.target, []store.Photo{{Key: fmt.Sprintf("t%d-%d", f.target, i), Width: 10, Height: 10}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Now()
	rc, err := s.CreateReport(ctx, dupCase("Katherine MacDonald", 34, "Mount Pearl", "Avalon"), store.ReporterContact{},
		[]store.Photo{{Key: fmt.Sprintf("r%d-a", f.target), Width: 10, Height: 10}, {Key: fmt.Sprintf("r%d-b", f.target), Width: 10, Height: 10}}, nil, at)
	if err != nil {
		t.Fatal(err)
	}
	f.report = rc.CaseID
	if _, err := s.AddReportInfo(ctx, rc.Token, "She may use her middle name", []store.AdditionPhoto{{Key: fmt.Sprintf("r%d-c", f.target), Width: 5, Height: 5}}, at, nil); err != nil {
		t.Fatal(err)
	}
	return f
}

func auditFor(t *testing.T, s *store.Store, id int64) []store.AuditEntry {
	t.Helper()
	es, _, err := s.ListAudit(t.Context(), store.AuditFilter{Record: store.CaseRecord(id), Action: "case.merge", PerPage: 50})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestMergeCase: photos, additions and the audit trail move in one step;
// the report is closed saying where it went; a second click changes
// nothing and says so.
func TestMergeCase(t *testing.T) {
	store.EachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		f := newMergeFixture(t, s, 1)
		rev0, err := s.ContentRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		audit := &store.AuditEntry{Action: "case.merge", UserEmail: "mod@example.org", IP: "192.0.2.1"}
		res, err := s.MergeCase(ctx, f.report, f.target, audit)
		if err != nil {
			t.Fatal(err)
		}
		if res.Photos != 2 || res.Additions != 1 || res.Tips != 0 || !res.IntoPublic {
			t.Errorf("result %+v", res)
		}
		ps, err := s.ListPhotos(ctx, f.target)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 3 {
			t.Fatalf("target has %d photos, want 3", len(ps))
		}
		for i, p := range ps {
			if p.Position != i || p.Primary != (i == 0) || p.CaseID != f.target {
				t.Errorf("photo %d: %+v (the target's primary must stay, moved photos after it)", i, p)
			}
		}
		if ps[1].Key != fmt.Sprintf("r%d-a", f.target) || ps[2].Key != fmt.Sprintf("r%d-b", f.target) {
			t.Errorf("moved photos out of order: %s, %s", ps[1].Key, ps[2].Key)
		}
		if left, _ := s.ListPhotos(ctx, f.report); len(left) != 0 {
			t.Errorf("report kept %d photos", len(left))
		}
		adds, err := s.ListReportAdditions(ctx, f.target)
		if err != nil || len(adds) != 1 || len(adds[0].Photos) != 1 {
			t.Fatalf("target's additions: %+v %v", adds, err)
		}
		rep, err := s.GetCase(ctx, f.report)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Status != store.StatusRejected || rep.RejectReason != store.MergedReason(f.target) {
			t.Errorf("report after merge: %s %q", rep.Status, rep.RejectReason)
		}
		if into, ok := store.MergedInto(rep.RejectReason); !ok || into != f.target {
			t.Errorf("reason %q does not name the target: %d %v", rep.RejectReason, into, ok)
		}
		if tg, _ := s.GetCase(ctx, f.target); tg.Status != store.StatusMissing {
			t.Errorf("target status %s", tg.Status)
		}
		fromAudit, intoAudit := auditFor(t, s, f.report), auditFor(t, s, f.target)
		if len(fromAudit) != 1 || !strings.Contains(fromAudit[0].Summary, fmt.Sprintf("merged into case %d", f.target)) || fromAudit[0].UserEmail != "mod@example.org" {
			t.Errorf("report's audit: %+v", fromAudit)
		}
		if len(intoAudit) != 1 || !strings.Contains(intoAudit[0].Summary, fmt.Sprintf("case %d merged into this case", f.report)) || !strings.Contains(intoAudit[0].Summary, "2 photos") {
			t.Errorf("target's audit: %+v", intoAudit)
		}
		if rev1, _ := s.ContentRevision(ctx); rev1 == rev0 {
			t.Error("photos moved onto a public case without a content revision bump")
		}

		// Second click: refused as already done, nothing moves again.
		_, err = s.MergeCase(ctx, f.report, f.target, audit)
		if !errors.Is(err, store.ErrAlreadyMerged) {
			t.Fatalf("second merge: %v, want ErrAlreadyMerged", err)
		}
		if ps2, _ := s.ListPhotos(ctx, f.target); len(ps2) != 3 {
			t.Errorf("second merge changed photos: %d", len(ps2))
		}
		if n := len(auditFor(t, s, f.target)); n != 1 {
			t.Errorf("second merge wrote audit: %d entries", n)
		}
	})
}

// TestMergeCasePrimary: a target without photos takes the report's
// primary; a pending target is not public, so nothing public changed.
func TestMergeCasePrimary(t *testing.T) {
	store.EachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		f := newMergeFixture(t, s, 0)
		pendingTarget := store.MustCreate(t, s, dupCase("Catherine Macdonald", 34, "Mount Pearl", "Avalon"), store.StatusPending)
		res, err := s.MergeCase(ctx, f.report, pendingTarget, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.IntoPublic {
			t.Error("a pending target reported as public")
		}
		ps, _ := s.ListPhotos(ctx, pendingTarget)
		if len(ps) != 2 || !ps[0].Primary || ps[1].Primary {
			t.Errorf("photos of a target that had none: %+v", ps)
		}
	})
}

// TestMergeCaseRefusals: hostile or stale merges change nothing.
func TestMergeCaseRefusals(t *testing.T) {
	store.EachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		f := newMergeFixture(t, s, 1)
		located := store.MustCreate(t, s, dupCase("Catherine McDonald", 35, "St. John's", "Avalon"), store.StatusLocated)
		archived := store.MustCreate(t, s, dupCase("Catherine McDonald", 35, "St. John's", "Avalon"), store.StatusArchived)
		rejected := store.MustCreate(t, s, dupCase("Catherine McDonald", 35, "St. John's", "Avalon"), store.StatusRejected)
		other := store.MustCreate(t, s, dupCase("Catherine McDonald", 35, "St. John's", "Avalon"), store.StatusMissing)
		for _, c := range []struct {
			name       string
			from, into int64
			want       error
		}{
			{"into itself", f.report, f.report, store.ErrIllegalTransition},
			{"into a located case", f.report, located, store.ErrIllegalTransition},
			{"into an archived case", f.report, archived, store.ErrIllegalTransition},
			{"into a rejected report", f.report, rejected, store.ErrIllegalTransition},
			{"into an unknown case", f.report, 987654, store.ErrNotFound},
			{"from an unknown case", 987654, f.target, store.ErrNotFound},
			{"a published case into another", f.target, other, store.ErrIllegalTransition},
			{"a rejected report", rejected, f.target, store.ErrIllegalTransition},
		} {
			_, err := s.MergeCase(ctx, c.from, c.into, &store.AuditEntry{Action: "case.merge"})
			if !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		rep, _ := s.GetCase(ctx, f.report)
		ps, _ := s.ListPhotos(ctx, f.report)
		if rep.Status != store.StatusPending || len(ps) != 2 || len(auditFor(t, s, f.report)) != 0 {
			t.Errorf("a refused merge changed the report: %s, %d photos", rep.Status, len(ps))
		}
		if tg, _ := s.GetCase(ctx, f.target); tg.Status != store.StatusMissing {
			t.Errorf("a refused merge changed the published case: %s", tg.Status)
		}
	})
}

// TestMergeCaseConcurrent: two moderators (or a double submit that the
// browser sent twice) merge one report at the same moment: it is merged
// once, the other gets ErrAlreadyMerged. Two reports merged into each
// other at once: one wins, the other is refused (its target closed).
func TestMergeCaseConcurrent(t *testing.T) {
	store.EachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		for round := range 5 {
			f := newMergeFixture(t, s, 1)
			errs := race2(func() error {
				_, err := s.MergeCase(ctx, f.report, f.target, &store.AuditEntry{Action: "case.merge"})
				return err
			},
				func() error {
					_, err := s.MergeCase(ctx, f.report, f.target, &store.AuditEntry{Action: "case.merge"})
					return err
				})
			ok, again := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case errors.Is(err, store.ErrAlreadyMerged):
					again++
				default:
					t.Errorf("round %d: unexpected error %v", round, err)
				}
			}
			if ok != 1 || again != 1 {
				t.Errorf("round %d: %d merges, %d already merged; want 1 and 1", round, ok, again)
			}
			if ps, _ := s.ListPhotos(ctx, f.target); len(ps) != 3 {
				t.Errorf("round %d: target has %d photos, want 3", round, len(ps))
			}
			if n := len(auditFor(t, s, f.target)); n != 1 {
				t.Errorf("round %d: %d merge audit entries on the target, want 1", round, n)
			}

			a := store.MustCreate(t, s, dupCase("Katherine MacDonald", 34, "Mount Pearl", "Avalon"), store.StatusPending)
			b := store.MustCreate(t, s, dupCase("Katherine MacDonald", 34, "Mount Pearl", "Avalon"), store.StatusPending)
			errs = race2(func() error { _, err := s.MergeCase(ctx, a, b, nil); return err },
				func() error { _, err := s.MergeCase(ctx, b, a, nil); return err })
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Errorf("round %d: crossed merges: %v / %v; want exactly one to succeed", round, errs[0], errs[1])
			}
			for _, err := range errs {
				if err != nil && !errors.Is(err, store.ErrIllegalTransition) {
					t.Errorf("round %d: crossed merge refused with %v", round, err)
				}
			}
		}
	})
}

func TestMergedInto(t *testing.T) {
	for _, reason := range []string{"", "Merged into case", "Merged into case 0 (the same person)", "Merged into case -4 (the same person)",
		"Merged into case 12 (the same person) and more", "merged into case 12 (the same person)", "Duplicate of 12"} {
		if id, ok := store.MergedInto(reason); ok {
			t.Errorf("MergedInto(%q) = %d, true; want false", reason, id)
		}
	}
	if id, ok := store.MergedInto(store.MergedReason(42)); !ok || id != 42 {
		t.Errorf("MergedInto(MergedReason(42)) = %d, %v", id, ok)
	}
}

// race2 runs two functions as close to together as goroutines allow.
func race2(fa, fb func() error) [2]error {
	var out [2]error
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, fn := range []func() error{fa, fb} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// BenchmarkPossibleDuplicates measures the lookup a moderator's report
// page makes, over the demo generator's varied cases (a tenth pending),
// for reports drawn from the same data (so names, places and ages are
// realistic, and many have look-alikes). compared/op is how many cases
// the database hands over for the name comparison; cpu-ms/op is this
// process's CPU (for MySQL the server's work is not in it).
//
//	go test -run '^$' -bench PossibleDuplicates ./internal/store/
//	LOSTINNL_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/' go test -run '^$' -bench PossibleDuplicates ./internal/store/
func BenchmarkPossibleDuplicates(b *testing.B) {
	for _, dialect := range []string{"sqlite", "mysql"} {
		for _, n := range []int{10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/%d", dialect, n), func(b *testing.B) {
				s := store.NewBenchStore(b, dialect)
				ctx := context.Background()
				cases := demo.Generate(n, 15, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
				for i := range cases {
					if i%10 == 0 {
						cases[i].Status = store.StatusPending
					}
				}
				if err := store.InsertCasesFast(ctx, s, cases); err != nil {
					b.Fatal(err)
				}
				// Ids are 1..n in insertion order on both dialects.
				ids := make([]int64, 0, 200)
				for i := int64(1); i <= int64(n); i += int64(n / 200) {
					ids = append(ids, i)
				}
				pool := 0
				for _, id := range ids {
					n, err := store.DuplicatePoolSize(ctx, s, id)
					if err != nil {
						b.Fatal(err)
					}
					pool += n
				}
				found := 0
				b.ReportAllocs()
				b.ResetTimer()
				i := 0
				cpu0 := processCPU()
				for b.Loop() {
					ds, err := s.PossibleDuplicates(ctx, ids[i%len(ids)], search.SimilarTo, 0)
					if err != nil {
						b.Fatal(err)
					}
					found += len(ds)
					i++
				}
				b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(i), "cpu-ms/op")
				b.ReportMetric(float64(found)/float64(i), "candidates/op")
				b.ReportMetric(float64(pool)/float64(len(ids)), "compared/op")
			})
		}
	}
}
