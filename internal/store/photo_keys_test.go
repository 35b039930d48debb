package store

import (
	"fmt"
	"testing"
)

func TestReferencedPhotoKeys(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		id := mustCreate(t, s, newCase("Key Person"), StatusMissing)
		var rows []Photo
		// More referenced keys than one batch, so the batching is exercised.
		for i := range photoKeysBatch + 5 {
			rows = append(rows, Photo{Key: fmt.Sprintf("ref-%03d", i)})
		}
		if err := s.AddPhotos(ctxT(t), id, rows, nil); err != nil {
			t.Fatal(err)
		}
		var ask []string
		for i := range photoKeysBatch + 5 {
			ask = append(ask, fmt.Sprintf("ref-%03d", i), fmt.Sprintf("orphan-%03d", i))
		}
		got, err := s.ReferencedPhotoKeys(ctxT(t), ask)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != photoKeysBatch+5 {
			t.Fatalf("%d keys referenced, want %d", len(got), photoKeysBatch+5)
		}
		for k := range got {
			if k[:4] != "ref-" {
				t.Fatalf("unreferenced key %q reported as referenced", k)
			}
		}
		// A deleted photo's key is no longer referenced.
		if _, err := s.DeletePhoto(ctxT(t), id, rows[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		got, err = s.ReferencedPhotoKeys(ctxT(t), []string{rows[0].Key, rows[1].Key})
		if err != nil || got[rows[0].Key] || !got[rows[1].Key] {
			t.Fatalf("after delete: %v %v", got, err)
		}
		// A photo a reporter added through their link is referenced too
		// (its blobs wait for a moderator), and stays so once adopted.
		rc, err := s.CreateReport(ctxT(t), newCase("Added Person"), ReporterContact{}, nil, nil, now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddReportInfo(ctxT(t), rc.Token, "", []AdditionPhoto{{Key: "added-1"}}, now(), nil); err != nil {
			t.Fatal(err)
		}
		got, err = s.ReferencedPhotoKeys(ctxT(t), []string{"added-1", "orphan-x"})
		if err != nil || !got["added-1"] || got["orphan-x"] {
			t.Fatalf("reporter's added photo: %v %v", got, err)
		}
		if got, err := s.ReferencedPhotoKeys(ctxT(t), nil); err != nil || len(got) != 0 {
			t.Fatalf("no keys: %v %v", got, err)
		}
	})
}
