package store

import (
	"testing"
)

func primaries(ps []Photo) (n int, id int64) {
	for _, p := range ps {
		if p.Primary {
			n++
			id = p.ID
		}
	}
	return n, id
}

func TestPhotos(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		c := newCase("Photo Person")
		id := mustCreate(t, s, c, StatusMissing)
		ps, err := s.ListPhotos(ctxT(t), id)
		if err != nil || len(ps) != 0 {
			t.Fatalf("photos of a new case: %v, %v", ps, err)
		}
		add := []Photo{{Key: "p-a", Width: 10, Height: 20}, {Key: "p-b"}, {Key: "p-c"}}
		if err := s.AddPhotos(ctxT(t), id, add, &AuditEntry{Action: "case.photos"}); err != nil {
			t.Fatal(err)
		}
		if add[0].ID == 0 || !add[0].Primary || add[2].Position != 2 {
			t.Fatalf("AddPhotos did not fill the slice: %+v", add)
		}
		// A second batch appends and keeps the existing primary.
		more := []Photo{{Key: "p-d"}}
		if err := s.AddPhotos(ctxT(t), id, more, nil); err != nil {
			t.Fatal(err)
		}
		ps, _ = s.ListPhotos(ctxT(t), id)
		if len(ps) != 4 || ps[3].Key != "p-d" || ps[3].Position != 3 {
			t.Fatalf("photos = %+v", ps)
		}
		if n, pid := primaries(ps); n != 1 || pid != add[0].ID {
			t.Fatalf("primaries = %d (%d)", n, pid)
		}
		// A batch with an explicit primary takes over.
		explicit := []Photo{{Key: "p-e", Primary: true}}
		if err := s.AddPhotos(ctxT(t), id, explicit, nil); err != nil {
			t.Fatal(err)
		}
		ps, _ = s.ListPhotos(ctxT(t), id)
		if n, pid := primaries(ps); n != 1 || pid != explicit[0].ID {
			t.Fatalf("explicit primary not applied: %d (%d)", n, pid)
		}

		// Key lookup with the case's status.
		p, st, err := s.PhotoByKey(ctxT(t), "p-b")
		if err != nil || p.ID != add[1].ID || st != StatusMissing {
			t.Fatalf("PhotoByKey = %+v %s %v", p, st, err)
		}
		_, _, err = s.PhotoByKey(ctxT(t), "nope")
		wantErr(t, err, ErrNotFound)
		// Duplicate keys are refused, and the failed batch leaves nothing.
		if err := s.AddPhotos(ctxT(t), id, []Photo{{Key: "p-z"}, {Key: "p-a"}}, nil); err == nil {
			t.Fatal("duplicate key accepted")
		}
		if ps2, _ := s.ListPhotos(ctxT(t), id); len(ps2) != 5 {
			t.Fatalf("failed batch left rows: %d", len(ps2))
		}

		// Reorder: must be a permutation.
		order := []int64{ps[4].ID, ps[3].ID, ps[2].ID, ps[1].ID, ps[0].ID}
		if err := s.ReorderPhotos(ctxT(t), id, order, nil); err != nil {
			t.Fatal(err)
		}
		ps, _ = s.ListPhotos(ctxT(t), id)
		for i, p := range ps {
			if p.ID != order[i] || p.Position != i {
				t.Fatalf("after reorder photo %d = %+v", i, p)
			}
		}
		wantErr(t, s.ReorderPhotos(ctxT(t), id, order[:4], nil), ErrInvalid)
		wantErr(t, s.ReorderPhotos(ctxT(t), id, []int64{order[0], order[0], order[1], order[2], order[3]}, nil), ErrInvalid)
		wantErr(t, s.ReorderPhotos(ctxT(t), 99999, nil, nil), ErrNotFound)

		// Set primary.
		if err := s.SetPrimaryPhoto(ctxT(t), id, order[2], nil); err != nil {
			t.Fatal(err)
		}
		ps, _ = s.ListPhotos(ctxT(t), id)
		if n, pid := primaries(ps); n != 1 || pid != order[2] {
			t.Fatalf("SetPrimaryPhoto: %d (%d)", n, pid)
		}
		got, _ := s.GetCase(ctxT(t), id)
		if got.PrimaryPhoto == nil || got.PrimaryPhoto.ID != order[2] {
			t.Fatalf("case primary photo = %+v", got.PrimaryPhoto)
		}

		// Photos of another case are not this case's.
		other := mustCreate(t, s, newCase("Other Person"), StatusPending)
		wantErr(t, s.SetPrimaryPhoto(ctxT(t), other, order[0], nil), ErrNotFound)
		_, err = s.DeletePhoto(ctxT(t), other, order[0], nil)
		wantErr(t, err, ErrNotFound)

		// Deleting the primary promotes the first remaining photo and closes
		// the gap in positions.
		gone, err := s.DeletePhoto(ctxT(t), id, order[2], &AuditEntry{Action: "case.photo_delete"})
		if err != nil || gone.Key == "" {
			t.Fatalf("DeletePhoto = %+v, %v", gone, err)
		}
		ps, _ = s.ListPhotos(ctxT(t), id)
		if len(ps) != 4 {
			t.Fatalf("photos left = %d", len(ps))
		}
		if n, pid := primaries(ps); n != 1 || pid != ps[0].ID {
			t.Fatalf("after deleting primary: %d primaries, primary %d, first %d", n, pid, ps[0].ID)
		}
		for i, p := range ps {
			if p.Position != i {
				t.Fatalf("position gap: %+v", ps)
			}
		}
	})
}

func TestPhotosCascadeWithCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		id := mustCreate(t, s, newCase("Cascade"), StatusMissing)
		if err := s.AddPhotos(ctxT(t), id, []Photo{{Key: "c1"}}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddUpdate(ctxT(t), id, "update", nil); err != nil {
			t.Fatal(err)
		}
		// There is no DeleteCase (cases are archived, not deleted), but the
		// foreign keys must still cascade if an operator deletes by hand.
		if _, err := s.wdb.ExecContext(ctxT(t), "DELETE FROM cases WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.db.QueryRowContext(ctxT(t), "SELECT (SELECT COUNT(*) FROM case_photos) + (SELECT COUNT(*) FROM case_updates)").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%d child rows survived (foreign keys off?)", n)
		}
		if err := s.AddPhotos(ctxT(t), id, []Photo{{Key: "c2"}}, nil); err == nil {
			t.Fatal("photo added to a deleted case")
		}
	})
}
