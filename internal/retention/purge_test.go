package retention

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
)

// policy is the production default (internal/config/retention.go).
var policy = Policy{PendingDays: 90, RejectedDays: 30, TipDays: 365, MessageDays: 180}

// addReport stores a report from the public form (pending), with n photos
// in the bucket, and rejects it when status says so.
func (f *fixture) addReport(t *testing.T, file string, status store.Status, n int) (int64, []string) {
	t.Helper()
	ctx := context.Background()
	c := &store.Case{FullName: "Reginald Reporterson", Sex: "male",
		LastSeenDate: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), LastSeenPlace: "Wharf", Community: "Fogo",
		Region: "Central", PoliceAgency: "RCMP", PoliceFileNumber: file}
	id, err := f.st.CreateCase(ctx, c, store.ReporterContact{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := f.addPhotos(t, id, n)
	if status == store.StatusRejected {
		if err := f.st.TransitionCase(ctx, id, status, "not a missing person", nil); err != nil {
			t.Fatal(err)
		}
	}
	return id, keys
}

func (f *fixture) addPhotos(t *testing.T, id int64, n int) []string {
	t.Helper()
	ctx := context.Background()
	if n == 0 {
		return nil
	}
	pl := media.NewPipeline(media.Config{}, nil)
	var ps []*media.Processed
	for i := range n {
		var buf bytes.Buffer
		if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 20+i, 30))); err != nil {
			t.Fatal(err)
		}
		p, err := pl.Process(ctx, &buf)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	var keys []string
	err := f.bucket.PutAndCommit(ctx, ps, func(k []string) error {
		keys = k
		rows := make([]store.Photo, len(k))
		for i := range k {
			rows[i] = store.Photo{Key: k[i]}
		}
		return f.st.AddPhotos(ctx, id, rows, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func (f *fixture) counts(t *testing.T, caseIDs ...int64) (cases, tips, messages int) {
	t.Helper()
	ctx := context.Background()
	for _, id := range caseIDs {
		if _, err := f.st.GetCase(ctx, id); err == nil {
			cases++
		}
	}
	_, tips, err := f.st.ListTips(ctx, store.TipFilter{})
	if err != nil {
		t.Fatal(err)
	}
	_, messages, err = f.st.ListMessages(ctx, false, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	return cases, tips, messages
}

func purgeAudits(t *testing.T, st *store.Store) []store.AuditEntry {
	t.Helper()
	es, _, err := st.ListAudit(context.Background(), store.AuditFilter{Action: PurgeAuditAction})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestPurgeDeletesEachKindAfterItsDays moves the job's clock through the
// default policy: each kind goes exactly when its days have passed, the
// deleted reports' photo blobs go with them, published cases stay, and
// each pass that deleted something leaves one audit entry with counts and
// no personal data.
func TestPurgeDeletesEachKindAfterItsDays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pending, pendingKeys := f.addReport(t, "PENDING", store.StatusPending, 2)
	rejected, rejectedKeys := f.addReport(t, "REJECTED", store.StatusRejected, 1)
	missing, missingKeys := f.addCase(t, "MISSING", store.StatusMissing, 1)
	if _, err := f.st.CreateTip(ctx, &store.Tip{CaseID: missing, Message: "Saw Fiona at the ferry"}, store.TipContact{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.CreateMessage(ctx, &store.Message{Name: "Morag Messenger", Email: "morag@example.org", Body: "About Fiona"}); err != nil {
		t.Fatal(err)
	}
	all := []int64{pending, rejected, missing}

	steps := []struct {
		days                      int
		cases, tips, messages     int
		wantPending, wantRejected int
		gone                      []string // blob keys deleted by now
	}{
		{days: 29, cases: 3, tips: 1, messages: 1},
		{days: 31, cases: 2, tips: 1, messages: 1, wantRejected: 1, gone: rejectedKeys},
		{days: 91, cases: 1, tips: 1, messages: 1, wantPending: 1, gone: pendingKeys},
		{days: 181, cases: 1, tips: 1, messages: 0},
		{days: 366, cases: 1, tips: 0, messages: 0},
	}
	audits := 0
	for _, s := range steps {
		j := &Job{Store: f.st, Blobs: f.bucket, Days: 30, Purge: policy, Holder: "a", Now: later(s.days)}
		res, err := j.RunOnce(ctx)
		if err != nil {
			t.Fatalf("day %d: %v", s.days, err)
		}
		if res.Pending != s.wantPending || res.Rejected != s.wantRejected || res.BlobFails != 0 {
			t.Errorf("day %d: %+v", s.days, res)
		}
		if c, tp, m := f.counts(t, all...); c != s.cases || tp != s.tips || m != s.messages {
			t.Fatalf("day %d: %d cases, %d tips, %d messages left; want %d, %d, %d", s.days, c, tp, m, s.cases, s.tips, s.messages)
		}
		for _, k := range s.gone {
			if f.blobExists(t, k) {
				t.Errorf("day %d: blob %s of a deleted report is still stored", s.days, k)
			}
		}
		if res.deleted() {
			audits++
		}
		if got := purgeAudits(t, f.st); len(got) != audits {
			t.Fatalf("day %d: %d purge audit entries, want %d (one per pass that deleted something)", s.days, len(got), audits)
		}
	}
	if !f.blobExists(t, missingKeys[0]) {
		t.Error("the published case's photo was deleted")
	}
	for _, e := range purgeAudits(t, f.st) {
		if e.UserID != nil || e.UserEmail != "" {
			t.Errorf("purge audited as a user: %+v", e)
		}
		for _, personal := range []string{"Fiona", "Reginald", "Morag", "morag@", "ferry", "RCMP"} {
			if strings.Contains(e.Summary, personal) {
				t.Errorf("audit summary holds personal data %q: %s", personal, e.Summary)
			}
		}
		if !strings.Contains(e.Summary, "retention: deleted") {
			t.Errorf("audit summary: %s", e.Summary)
		}
	}
}

// TestPurgeTwoInstancesDeleteOnce: instances racing for the pass delete
// every expired record once, and the deletions are audited once.
func TestPurgeTwoInstancesDeleteOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, file := range []string{"R1", "R2", "R3"} {
		f.addReport(t, file, store.StatusPending, 1)
	}
	for range 3 {
		if _, err := f.st.CreateMessage(ctx, &store.Message{Body: "hello"}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	results := make([]Result, 4)
	errs := make([]error, 4)
	start := make(chan struct{})
	for i := range results {
		wg.Go(func() {
			<-start
			j := &Job{Store: f.st, Blobs: f.bucket, Purge: policy, Holder: "inst-" + itoa(int64(i)), LeaseTTL: time.Hour, Now: later(400)}
			results[i], errs[i] = j.RunOnce(ctx)
		})
	}
	close(start)
	wg.Wait()
	pending, messages := 0, 0
	for i, r := range results {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		pending += r.Pending
		messages += r.Messages
	}
	if pending != 3 || messages != 3 {
		t.Fatalf("deleted %d reports and %d messages in all; want 3 and 3", pending, messages)
	}
	if got := purgeAudits(t, f.st); len(got) != 1 {
		t.Fatalf("%d purge audit entries, want 1", len(got))
	}
}

func TestPurgeBlobFailureCountedNotFatal(t *testing.T) {
	f := newFixture(t)
	f.addReport(t, "X", store.StatusRejected, 2)
	j := &Job{Store: f.st, Blobs: failingBlobs{}, Purge: policy, Holder: "h", Now: later(31)}
	res, err := j.RunOnce(context.Background())
	if err != nil || res.Rejected != 1 || res.ReportPhotos != 2 || res.BlobFails != 2 {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestPurgeRefusesNegativeDays(t *testing.T) {
	f := newFixture(t)
	for _, p := range []Policy{{PendingDays: -1}, {RejectedDays: -30}, {TipDays: -1}, {MessageDays: -1 << 31}} {
		j := &Job{Store: f.st, Blobs: f.bucket, Purge: p, Holder: "h"}
		if _, err := j.RunOnce(context.Background()); err == nil {
			t.Errorf("%+v accepted", p)
		}
		if err := Run(context.Background(), f.st, f.bucket, 30, p, time.Minute, nil); err == nil {
			t.Errorf("Run with %+v accepted", p)
		}
	}
}
