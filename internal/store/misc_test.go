package store

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestUpdates(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		id := mustCreate(t, s, newCase("Timeline Person"), StatusMissing)
		u1, err := s.AddUpdate(ctxT(t), id, "Search teams out near Signal Hill.", &AuditEntry{Action: "case.update_add"})
		if err != nil {
			t.Fatal(err)
		}
		u2, err := s.AddUpdate(ctxT(t), id, "Second update 🙏", nil)
		if err != nil {
			t.Fatal(err)
		}
		us, err := s.ListUpdates(ctxT(t), id)
		if err != nil || len(us) != 2 || us[0].ID != u2 || us[1].ID != u1 {
			t.Fatalf("ListUpdates (newest first) = %+v, %v", us, err)
		}
		if us[0].Body != "Second update 🙏" {
			t.Fatalf("emoji lost: %q", us[0].Body)
		}
		if err := s.EditUpdate(ctxT(t), id, u1, "Edited.", nil); err != nil {
			t.Fatal(err)
		}
		other := mustCreate(t, s, newCase("Other"), StatusMissing)
		wantErr(t, s.EditUpdate(ctxT(t), other, u1, "x", nil), ErrNotFound)
		wantErr(t, s.DeleteUpdate(ctxT(t), other, u1, nil), ErrNotFound)
		_, err = s.AddUpdate(ctxT(t), 99999, "x", nil)
		wantErr(t, err, ErrNotFound)
		_, err = s.AddUpdate(ctxT(t), id, "  ", nil)
		wantErr(t, err, ErrInvalid)
		if err := s.DeleteUpdate(ctxT(t), id, u2, nil); err != nil {
			t.Fatal(err)
		}
		us, _ = s.ListUpdates(ctxT(t), id)
		if len(us) != 1 || us[0].Body != "Edited." {
			t.Fatalf("after edit+delete: %+v", us)
		}
		if n := auditCount(t, s, fmt.Sprintf("case:%d", id)); n != 1 {
			t.Fatalf("audit entries = %d", n)
		}
	})
}

func TestTips(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ciph := newTestCipher(t)
		s.SetCipher(ciph)
		pub := mustCreate(t, s, newCase("Tip Target"), StatusMissing)
		located := mustCreate(t, s, newCase("Located Target"), StatusLocated)
		for _, st := range []Status{StatusPending, StatusRejected} {
			id := mustCreate(t, s, newCase("Hidden "+string(st)), st)
			_, err := s.CreateTip(ctxT(t), &Tip{CaseID: id, Message: "seen"}, TipContact{})
			wantErr(t, err, ErrNotFound)
		}
		_, err := s.CreateTip(ctxT(t), &Tip{CaseID: 99999, Message: "seen"}, TipContact{})
		wantErr(t, err, ErrNotFound)

		tip := &Tip{CaseID: pub, Message: "Saw her at the Gander bus stop", SeenAt: "2026-03-15 08:00", SeenLocation: "Gander"}
		id, err := s.CreateTip(ctxT(t), tip, TipContact{Name: "Dara Quinlan", Phone: "709-555-0142"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateTip(ctxT(t), &Tip{CaseID: pub, Message: "second sighting"}, TipContact{}); err != nil {
			t.Fatal(err)
		}
		// The appeal of a located case is over (tips_closed_test.go has the rest).
		_, err = s.CreateTip(ctxT(t), &Tip{CaseID: located, Message: "old news"}, TipContact{})
		wantErr(t, err, ErrCaseClosed)
		got, err := s.GetTip(ctxT(t), id)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != TipNew || got.Message != tip.Message || got.SeenLocation != "Gander" || got.Email != nil {
			t.Fatalf("tip = %+v", got)
		}
		if bytes.Contains(got.Name, []byte("Dara")) || bytes.Contains(got.Phone, []byte("0142")) {
			t.Fatal("tip contact stored in plaintext")
		}
		if v, err := ciph.open(got.Phone, "tips", "phone", id, got.SealToken); err != nil || v != "709-555-0142" {
			t.Fatalf("open tip phone = %q, %v", v, err)
		}
		s.SetCipher(nil)
		_, err = s.CreateTip(ctxT(t), &Tip{CaseID: pub, Message: "m"}, TipContact{Email: "a@example.org"})
		wantErr(t, err, ErrNoCipher)

		if err := s.SetTipState(ctxT(t), id, TipForwarded, "sent to RNC", &AuditEntry{Action: "tip.forward"}); err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.SetTipState(ctxT(t), id, TipState("bogus"), "", nil), ErrInvalid)
		wantErr(t, s.SetTipState(ctxT(t), 99999, TipReviewed, "", nil), ErrNotFound)
		if n := auditCount(t, s, fmt.Sprintf("tip:%d", id)); n != 1 {
			t.Fatalf("tip audit = %d", n)
		}

		list, total, err := s.ListTips(ctxT(t), TipFilter{})
		if err != nil || total != 2 || len(list) != 2 {
			t.Fatalf("ListTips = %d/%d, %v", len(list), total, err)
		}
		list, total, _ = s.ListTips(ctxT(t), TipFilter{CaseID: pub, State: TipForwarded})
		if total != 1 || list[0].Notes != "sent to RNC" {
			t.Fatalf("filtered tips = %+v (%d)", list, total)
		}
		list, total, _ = s.ListTips(ctxT(t), TipFilter{Page: 5})
		if total != 2 || len(list) != 0 {
			t.Fatalf("past the end: %d/%d", len(list), total)
		}
		counts, err := s.CountTipsByState(ctxT(t))
		if err != nil || counts[TipNew] != 1 || counts[TipForwarded] != 1 || counts[TipReviewed] != 0 {
			t.Fatalf("counts = %v, %v", counts, err)
		}
	})
}

func TestMessages(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		var ids []int64
		for i := range 3 {
			m := &Message{Name: "Sam", Email: "sam@example.org", Subject: fmt.Sprintf("Hello %d", i), Body: "'; DROP TABLE messages; --"}
			id, err := s.CreateMessage(ctxT(t), m)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		_, err := s.CreateMessage(ctxT(t), &Message{Body: ""})
		wantErr(t, err, ErrInvalid)
		m, err := s.GetMessage(ctxT(t), ids[0])
		if err != nil || m.Body != "'; DROP TABLE messages; --" || m.Read {
			t.Fatalf("GetMessage = %+v, %v", m, err)
		}
		_, err = s.GetMessage(ctxT(t), 99999)
		wantErr(t, err, ErrNotFound)
		if err := s.SetMessageRead(ctxT(t), ids[1], true, &AuditEntry{Action: "message.read"}); err != nil {
			t.Fatal(err)
		}
		// Marking read twice is fine (not "not found").
		if err := s.SetMessageRead(ctxT(t), ids[1], true, nil); err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.SetMessageRead(ctxT(t), 99999, true, nil), ErrNotFound)
		n, err := s.CountUnreadMessages(ctxT(t))
		if err != nil || n != 2 {
			t.Fatalf("unread = %d, %v", n, err)
		}
		list, total, err := s.ListMessages(ctxT(t), true, 1, 1)
		if err != nil || total != 2 || len(list) != 1 || list[0].ID != ids[2] {
			t.Fatalf("unread page 1 = %+v (%d), %v", list, total, err)
		}
		list, total, _ = s.ListMessages(ctxT(t), false, 0, 0)
		if total != 3 || len(list) != 3 || list[0].ID != ids[2] {
			t.Fatalf("all = %d/%d", len(list), total)
		}
	})
}

func TestResources(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		seeded, _ := s.ListResources(ctxT(t))
		r := &Resource{Title: "Search and Rescue NL", Category: CategorySearchRescue, Phone: "709-555-0111", Description: "Volunteer teams"}
		id, err := s.CreateResource(ctxT(t), r, &AuditEntry{Action: "resource.create"})
		if err != nil || r.Position != len(seeded) {
			t.Fatalf("create: %v, position %d", err, r.Position)
		}
		got, err := s.GetResource(ctxT(t), id)
		if err != nil || *got != *r {
			t.Fatalf("GetResource = %+v, %v", got, err)
		}
		r.Title = "SAR NL"
		if err := s.UpdateResource(ctxT(t), r, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetResource(ctxT(t), id); got.Title != "SAR NL" {
			t.Fatalf("title = %q", got.Title)
		}
		_, err = s.CreateResource(ctxT(t), &Resource{Title: strings.Repeat("t", 300)}, nil)
		wantErr(t, err, ErrInvalid)
		wantErr(t, s.UpdateResource(ctxT(t), &Resource{ID: 99999, Title: "x"}, nil), ErrNotFound)

		all, _ := s.ListResources(ctxT(t))
		var ids []int64
		for i := len(all) - 1; i >= 0; i-- {
			ids = append(ids, all[i].ID)
		}
		if err := s.ReorderResources(ctxT(t), ids, &AuditEntry{Action: "resource.reorder"}); err != nil {
			t.Fatal(err)
		}
		all, _ = s.ListResources(ctxT(t))
		if all[0].ID != id {
			t.Fatalf("reorder: first = %d, want %d", all[0].ID, id)
		}
		wantErr(t, s.ReorderResources(ctxT(t), ids[1:], nil), ErrInvalid)
		if err := s.DeleteResource(ctxT(t), id, &AuditEntry{Action: "resource.delete"}); err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.DeleteResource(ctxT(t), id, nil), ErrNotFound)
		_, err = s.GetResource(ctxT(t), id)
		wantErr(t, err, ErrNotFound)
		if n := auditCount(t, s, fmt.Sprintf("resource:%d", id)); n != 2 {
			t.Fatalf("resource audit = %d", n)
		}
	})
}
