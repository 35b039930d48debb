package demo

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lostinnl/internal/store"
)

type nopCipher struct{}

func (nopCipher) SealRow(_ context.Context, table string, id int64, token []byte, columns []string, values [][]byte) ([][]byte, error) {
	out := make([][]byte, len(values))
	for i, p := range values {
		if len(p) > 0 {
			out[i] = append([]byte("sealed:"), p...)
		}
	}
	return out, nil
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "demo.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st.SetCipher(nopCipher{})
	return st
}

func TestSeedIsIdempotentAndCoversEverything(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }
	var portraits atomic.Int32
	opt := Options{Now: now, Portrait: func(ctx context.Context, data []byte) (store.Photo, error) {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("portrait is not a JPEG: %v", err)
		}
		n := portraits.Add(1)
		return store.Photo{Key: fmt.Sprintf("demoportrait%03d", n), Width: 480, Height: 600}, nil
	}}
	added, err := Seed(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if added != len(people) || added < 35 {
		t.Fatalf("added %d, want %d", added, len(people))
	}
	again, err := Seed(ctx, st, opt)
	if err != nil || again != 0 {
		t.Fatalf("second run added %d (%v), want 0", again, err)
	}
	counts, err := st.CountCasesByStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []store.Status{store.StatusMissing, store.StatusLocated, store.StatusArchived, store.StatusPending, store.StatusRejected} {
		if counts[s] == 0 {
			t.Errorf("no %s demo cases", s)
		}
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != len(people) {
		t.Errorf("%d cases stored, want %d", total, len(people))
	}
	// Every region has published cases; published ones have updates and a
	// portrait (except the withdrawn one).
	for _, r := range store.Regions {
		res, err := st.SearchCases(ctx, store.CaseQuery{Region: r, Statuses: []store.Status{store.StatusMissing, store.StatusLocated}, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total < 4 {
			t.Errorf("region %s has %d published demo cases", r, res.Total)
		}
		for _, c := range res.Cases {
			ups, err := st.ListUpdates(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(ups) == 0 {
				t.Errorf("%s has no updates", c.FullName)
			}
			if !strings.HasPrefix(c.PoliceFileNumber, "DEMO-") || c.PoliceAgency != Agency {
				t.Errorf("%s: police file %s %s", c.FullName, c.PoliceAgency, c.PoliceFileNumber)
			}
			if c.PersonalWithdrawn != (c.PrimaryPhoto == nil) {
				t.Errorf("%s: withdrawn=%v photo=%v", c.FullName, c.PersonalWithdrawn, c.PrimaryPhoto)
			}
		}
	}
	if n := portraits.Load(); n == 0 {
		t.Error("no portraits generated")
	}
}

func TestSeedAddsPortraitsLater(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if _, err := Seed(ctx, st, Options{}); err != nil {
		t.Fatal(err)
	}
	calls := 0
	added, err := Seed(ctx, st, Options{Portrait: func(ctx context.Context, data []byte) (store.Photo, error) {
		calls++
		return store.Photo{Key: fmt.Sprintf("later%03d", calls)}, nil
	}})
	if err != nil || added != 0 {
		t.Fatalf("added %d, %v", added, err)
	}
	if calls == 0 {
		t.Fatal("portraits not added to existing demo cases")
	}
	before := calls
	if _, err := Seed(ctx, st, Options{Portrait: func(ctx context.Context, data []byte) (store.Photo, error) {
		calls++
		return store.Photo{Key: fmt.Sprintf("again%03d", calls)}, nil
	}}); err != nil {
		t.Fatal(err)
	}
	if calls != before {
		t.Errorf("portraits added twice (%d more)", calls-before)
	}
}

func TestSeedExtraForLoadTests(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	added, err := Seed(ctx, st, Options{Extra: 25})
	if err != nil || added != len(people)+25 {
		t.Fatalf("added %d, %v", added, err)
	}
	added, err = Seed(ctx, st, Options{Extra: 30})
	if err != nil || added != 5 {
		t.Fatalf("second run added %d, %v (want the 5 new ones)", added, err)
	}
}

func TestSilhouette(t *testing.T) {
	img := Silhouette(3, 120, 150)
	b := img.Bounds()
	if b.Dx() != 120 || b.Dy() != 150 {
		t.Fatalf("size %v", b)
	}
	bg := img.At(1, 1)
	head := img.At(60, 54)
	shoulders := img.At(60, 145)
	if head == bg || shoulders == bg {
		t.Error("figure not drawn")
	}
	if img.At(2, 100) != bg {
		t.Error("beside the shoulders should be background")
	}
	if Silhouette(-7, 10, 10) == nil {
		t.Error("negative seed")
	}
}
