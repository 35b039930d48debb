package store

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestHeldReportPhotos(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		tok, err := NewFormToken()
		if err != nil || !ValidFormToken(tok) {
			t.Fatalf("token %q %v", tok, err)
		}
		other, _ := NewFormToken()
		if other == tok {
			t.Fatal("two tokens alike")
		}
		held, err := s.HoldReportPhotos(ctx, tok, []HeldPhoto{{Key: "held-1", Width: 800, Height: 600}, {Key: "held-2"}}, 5, at)
		if err != nil || len(held) != 2 || held[0].ID == 0 || !held[0].ExpiresAt.Equal(at.Add(FormHoldLifetime)) {
			t.Fatalf("hold %+v %v", held, err)
		}
		// Only the token's hash is stored.
		var h []byte
		if err := s.db.QueryRowContext(ctx, "SELECT token_hash FROM report_form_photos WHERE id = ?", held[0].ID).Scan(&h); err != nil ||
			!bytes.Equal(h, tokenHash(tok)) || bytes.Contains(h, []byte(tok)) {
			t.Fatalf("stored %x %v", h, err)
		}
		// Adding later keeps the first expiry; the limit counts all.
		more, err := s.HoldReportPhotos(ctx, tok, []HeldPhoto{{Key: "held-3"}}, 5, at.Add(time.Hour))
		if err != nil || !more[0].ExpiresAt.Equal(held[0].ExpiresAt) {
			t.Fatalf("more %+v %v", more, err)
		}
		if _, err := s.HoldReportPhotos(ctx, tok, []HeldPhoto{{Key: "x-1"}, {Key: "x-2"}, {Key: "x-3"}}, 5, at); !errors.Is(err, ErrTooManyPhotos) {
			t.Fatalf("over the limit: %v", err)
		}
		list, err := s.HeldReportPhotos(ctx, tok, at)
		if err != nil || len(list) != 3 || list[0].Key != "held-1" || list[2].Key != "held-3" || list[0].Width != 800 {
			t.Fatalf("list %+v %v", list, err)
		}
		// Another token, a malformed one: nothing.
		for _, bad := range []string{other, "", "short", tok[:42] + "!"} {
			if l, err := s.HeldReportPhotos(ctx, bad, at); err != nil || len(l) != 0 {
				t.Fatalf("token %q sees %+v %v", bad, l, err)
			}
			if _, err := s.HeldReportPhoto(ctx, bad, held[0].ID, at); !errors.Is(err, ErrNotFound) {
				t.Fatalf("token %q gets a photo: %v", bad, err)
			}
			if _, err := s.ReleaseHeldPhoto(ctx, bad, held[0].ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("token %q releases a photo: %v", bad, err)
			}
		}
		// Held photos are referenced: the orphan sweeper leaves their blobs.
		if got, err := s.ReferencedPhotoKeys(ctx, []string{"held-1", "held-3", "orphan"}); err != nil || !got["held-1"] || !got["held-3"] || got["orphan"] {
			t.Fatalf("referenced %v %v", got, err)
		}
		// Release.
		p, err := s.ReleaseHeldPhoto(ctx, tok, held[1].ID)
		if err != nil || p.Key != "held-2" {
			t.Fatalf("release %+v %v", p, err)
		}
		if _, err := s.ReleaseHeldPhoto(ctx, tok, held[1].ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("second release: %v", err)
		}
		// Expiry: at the end of the hold nothing is shown; the rows stay
		// (and count as referenced) until deleted, with their keys returned.
		end := held[0].ExpiresAt
		if l, _ := s.HeldReportPhotos(ctx, tok, end.Add(-time.Microsecond)); len(l) != 2 {
			t.Fatalf("just before the end: %d photos", len(l))
		}
		if l, _ := s.HeldReportPhotos(ctx, tok, end); len(l) != 0 {
			t.Fatalf("at the end: %d photos", len(l))
		}
		if _, err := s.HeldReportPhoto(ctx, tok, held[0].ID, end); !errors.Is(err, ErrNotFound) {
			t.Fatalf("expired photo: %v", err)
		}
		// A token whose hold expired starts a new one.
		if l, err := s.HoldReportPhotos(ctx, tok, []HeldPhoto{{Key: "late-1"}}, 1, end); err != nil || !l[0].ExpiresAt.Equal(end.Add(FormHoldLifetime)) {
			t.Fatalf("new hold %+v %v", l, err)
		}
		keys, err := s.DeleteExpiredHeldPhotos(ctx, end.Add(-time.Second), 10)
		if err != nil || len(keys) != 0 {
			t.Fatalf("nothing due yet: %v %v", keys, err)
		}
		keys, err = s.DeleteExpiredHeldPhotos(ctx, end, 1)
		if err != nil || len(keys) != 1 || keys[0] != "held-1" {
			t.Fatalf("first batch %v %v", keys, err)
		}
		keys, err = s.DeleteExpiredHeldPhotos(ctx, end, 10)
		if err != nil || len(keys) != 1 || keys[0] != "held-3" {
			t.Fatalf("second batch %v %v", keys, err)
		}
		if got, _ := s.ReferencedPhotoKeys(ctx, []string{"held-1", "late-1"}); got["held-1"] || !got["late-1"] {
			t.Fatalf("after delete: %v", got)
		}
	})
}

func TestCreateReportWithHeld(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := now()
		tok, _ := NewFormToken()
		held, err := s.HoldReportPhotos(ctx, tok, []HeldPhoto{{Key: "f-1", Width: 10, Height: 20}, {Key: "f-2"}, {Key: "f-3"}}, 5, at)
		if err != nil {
			t.Fatal(err)
		}
		ids := []int64{held[0].ID, held[1].ID, held[2].ID}
		// Not what is held (one missing, another token): nothing stored.
		before := countRows(t, s, "cases")
		for _, tc := range []struct {
			tok  string
			want []int64
		}{{tok, ids[:2]}, {tok, []int64{ids[1], ids[0], ids[2]}}, {"junk", ids}} {
			if _, err := s.CreateReportWithHeld(ctx, newCase("Nobody"), ReporterContact{}, tc.tok, tc.want, nil, at); !errors.Is(err, ErrHeldPhotosChanged) {
				t.Fatalf("%v: %v", tc.want, err)
			}
		}
		other, _ := NewFormToken()
		if _, err := s.CreateReportWithHeld(ctx, newCase("Nobody"), ReporterContact{}, other, ids, nil, at); !errors.Is(err, ErrHeldPhotosChanged) {
			t.Fatalf("other token: %v", err)
		}
		if n := countRows(t, s, "cases"); n != before {
			t.Fatalf("cases %d → %d", before, n)
		}
		rc, err := s.CreateReportWithHeld(ctx, newCase("Held Person"), ReporterContact{Name: "R", Email: "r@example.org"}, tok, ids, nil, at)
		if err != nil {
			t.Fatal(err)
		}
		photos, err := s.ListPhotos(ctx, rc.CaseID)
		if err != nil || len(photos) != 3 {
			t.Fatalf("photos %+v %v", photos, err)
		}
		for i, p := range photos {
			if p.Key != held[i].Key || p.Position != i || p.Primary != (i == 0) {
				t.Fatalf("photo %d: %+v", i, p)
			}
		}
		if photos[0].Width != 10 || photos[0].Height != 20 {
			t.Fatalf("size %+v", photos[0])
		}
		if l, _ := s.HeldReportPhotos(ctx, tok, at); len(l) != 0 || countRows(t, s, "report_form_photos") != 0 {
			t.Fatalf("hold rows left: %+v", l)
		}
		// Sending again (a double click): the photos are the case's now.
		if _, err := s.CreateReportWithHeld(ctx, newCase("Again"), ReporterContact{}, tok, ids, nil, at); !errors.Is(err, ErrHeldPhotosChanged) {
			t.Fatalf("again: %v", err)
		}
	})
}

func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(ctxT(t), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Twenty posts of one form at once, each holding a photo: exactly 5 are
// held (the limit), the rest refused with ErrTooManyPhotos; and two sends
// of one form at once: one case gets the photos, the other nothing.
func TestHeldReportPhotosRaces(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		at := now()
		for _, fresh := range []bool{true, false} {
			tok, _ := NewFormToken()
			if !fresh {
				if _, err := s.HoldReportPhotos(ctx, tok, []HeldPhoto{{Key: "first-" + tok[:8]}}, 5, at); err != nil {
					t.Fatal(err)
				}
			}
			var mu sync.Mutex
			var ok, refused int
			var other []error
			parallel(20, func(i int) {
				_, err := s.HoldReportPhotos(ctx, tok, []HeldPhoto{{Key: fmt.Sprintf("race-%s-%d", tok[:8], i)}}, 5, at)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, ErrTooManyPhotos):
					refused++
				default:
					other = append(other, err)
				}
			})
			held, err := s.HeldReportPhotos(ctx, tok, at)
			if err != nil || len(held) != 5 || len(other) != 0 || ok+refused != 20 {
				t.Fatalf("fresh %v: %d held, %d ok, %d refused, errors %v / %v", fresh, len(held), ok, refused, other, err)
			}
			var ids []int64
			for _, p := range held {
				ids = append(ids, p.ID)
			}
			var sent []int64
			parallel(2, func(i int) {
				rc, err := s.CreateReportWithHeld(ctx, newCase(fmt.Sprintf("Race %v %d", fresh, i)), ReporterContact{}, tok, ids, nil, at)
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					sent = append(sent, rc.CaseID)
				} else if !errors.Is(err, ErrHeldPhotosChanged) {
					other = append(other, err)
				}
			})
			if len(sent) != 1 || len(other) != 0 {
				t.Fatalf("two sends: %d cases, errors %v", len(sent), other)
			}
			if ps, err := s.ListPhotos(ctx, sent[0]); err != nil || len(ps) != 5 {
				t.Fatalf("case photos %d %v", len(ps), err)
			}
		}
	})
}
