package store

import (
	"errors"
	"testing"
)

func TestImportPFIFCaseIsIdempotent(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		c := newCase("Imported Person")
		c.Status = StatusPending
		id, created, err := s.ImportPFIFCase(ctx, "finder.example.org/p1", c, &AuditEntry{UserEmail: "cli", Action: "case.import_pfif"})
		if err != nil || !created || id == 0 {
			t.Fatalf("first import: %d %v %v", id, created, err)
		}
		got, err := s.GetCase(ctx, id)
		if err != nil || got.Status != StatusPending || got.FullName != "Imported Person" {
			t.Fatalf("case: %+v %v", got, err)
		}
		if n := auditCount(t, s, caseRecord(id)); n != 1 {
			t.Errorf("audit entries %d, want 1", n)
		}
		again := newCase("Someone Else")
		again.Status = StatusPending
		id2, created, err := s.ImportPFIFCase(ctx, "finder.example.org/p1", again, &AuditEntry{UserEmail: "cli", Action: "case.import_pfif"})
		if err != nil || created || id2 != id {
			t.Fatalf("second import: %d %v %v, want %d false nil", id2, created, err, id)
		}
		counts, err := s.CountCasesByStatus(ctx)
		if err != nil || counts[StatusPending] != 1 {
			t.Errorf("pending cases %v (%v), want 1", counts, err)
		}
		// Ids compare exactly: another case differs, another id is new.
		third := newCase("Third Person")
		third.Status = StatusPending
		if _, created, err := s.ImportPFIFCase(ctx, "finder.example.org/P1", third, nil); err != nil || !created {
			t.Errorf("differently cased id: created %v, %v", created, err)
		}
		pub := newCase("Public Import")
		pub.Status = StatusMissing
		if _, _, err := s.ImportPFIFCase(ctx, "finder.example.org/p9", pub, nil); !errors.Is(err, ErrIllegalTransition) {
			t.Errorf("public import: %v", err)
		}
		bad := newCase("Bad Import")
		bad.Status = StatusPending
		bad.FullName = ""
		if _, _, err := s.ImportPFIFCase(ctx, "finder.example.org/p10", bad, nil); err == nil {
			t.Error("invalid case imported")
		}
		if _, err := s.PFIFImportCase(ctx, "finder.example.org/p10"); !errors.Is(err, ErrNotFound) {
			t.Errorf("failed import left a mapping: %v", err)
		}
	})
}
