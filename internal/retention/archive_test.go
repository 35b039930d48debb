package retention

import (
	"context"
	"testing"

	"lostinnl/internal/store"
)

// TestArchiveLocatedAtEndOfPublicPeriod: a located case is archived exactly
// once its public period has passed, audited as the system; a public
// period shorter than the retention period withdraws the photos (rows and
// blobs) first, so an archived case never keeps photos; missing cases are
// never archived; and every archive moves the content revision so page
// caches on every instance drop the case.
func TestArchiveLocatedAtEndOfPublicPeriod(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	located, keys := f.addCase(t, "LOC", store.StatusLocated, 2)
	missing, missingKeys := f.addCase(t, "MIS", store.StatusMissing, 1)

	// Retention 30 days, public period 10: the archive comes first.
	j := &Job{Store: f.st, Blobs: f.bucket, Days: 30, Purge: Policy{LocatedPublicDays: 10}, Holder: "h", Now: later(9)}
	if res, err := j.RunOnce(ctx); err != nil || res.Archived != 0 {
		t.Fatalf("day 9: %+v %v", res, err)
	}
	rev0, err := f.st.ContentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	j.Now = later(11)
	res, err := j.RunOnce(ctx)
	if err != nil || res.Archived != 1 || res.Photos != 2 || res.BlobFails != 0 {
		t.Fatalf("day 11: %+v %v", res, err)
	}
	c, err := f.st.GetCase(ctx, located)
	if err != nil || c.Status != store.StatusArchived || !c.PersonalWithdrawn || c.LocatedAt == nil {
		t.Fatalf("archived case: %+v %v", c, err)
	}
	for _, k := range keys {
		if f.blobExists(t, k) {
			t.Errorf("blob %s of the archived case is still stored", k)
		}
	}
	if _, err := f.st.GetPublicCase(ctx, located); err == nil {
		t.Error("archived case still public")
	}
	if m, _ := f.st.GetCase(ctx, missing); m.Status != store.StatusMissing || !f.blobExists(t, missingKeys[0]) {
		t.Errorf("missing case touched: %+v", m)
	}
	if rev1, err := f.st.ContentRevision(ctx); err != nil || rev1 == rev0 {
		t.Errorf("content revision %v → %v (%v): page caches would keep the case", rev0, rev1, err)
	}
	es, _, err := f.st.ListAudit(ctx, store.AuditFilter{Action: ArchiveAuditAction})
	if err != nil || len(es) != 1 || es[0].UserID != nil || es[0].Record != "case:"+itoa(located) {
		t.Fatalf("archive audit: %+v %v", es, err)
	}
	if res, err := j.RunOnce(ctx); err != nil || res.Archived != 0 {
		t.Fatalf("second pass: %+v %v", res, err)
	}
}

// A case whose details were already withdrawn is archived without a second
// withdrawal entry; zero public days archives nothing (a Job built for
// another rule).
func TestArchiveAfterWithdrawalAndZeroDays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, _ := f.addCase(t, "LOC", store.StatusLocated, 1)
	j := &Job{Store: f.st, Blobs: f.bucket, Days: 5, Holder: "h", Now: later(40)}
	if res, err := j.RunOnce(ctx); err != nil || res.Withdrawn != 1 || res.Archived != 0 {
		t.Fatalf("zero public days: %+v %v", res, err)
	}
	j.Purge.LocatedPublicDays = 30
	if res, err := j.RunOnce(ctx); err != nil || res.Archived != 1 || res.Photos != 0 {
		t.Fatalf("archive pass: %+v %v", res, err)
	}
	es, _, err := f.st.ListAudit(ctx, store.AuditFilter{Action: AuditAction})
	if err != nil || len(es) != 1 {
		t.Fatalf("%d withdrawal entries, want 1 (%v)", len(es), err)
	}
	if c, _ := f.st.GetCase(ctx, id); c.Status != store.StatusArchived {
		t.Fatalf("status %s", c.Status)
	}
}

func TestArchiveRefusesNegativeDays(t *testing.T) {
	f := newFixture(t)
	j := &Job{Store: f.st, Blobs: f.bucket, Purge: Policy{LocatedPublicDays: -1}, Holder: "h"}
	if _, err := j.RunOnce(context.Background()); err == nil {
		t.Fatal("negative public days accepted")
	}
}
