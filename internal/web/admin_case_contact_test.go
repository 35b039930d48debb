package web

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// countingCipher counts the sealed fields the admin area opens.
type countingCipher struct {
	kit.Cipher
	opens atomic.Int32
}

func (c *countingCipher) OpenRowOrUnreadable(ctx context.Context, sealed []byte, table, column string, rowID int64, token []byte) string {
	c.opens.Add(1)
	return c.Cipher.OpenRowOrUnreadable(ctx, sealed, table, column, rowID, token)
}

// TestAdminCaseSaveContactFromTheForm: a save decides what changed in the
// reporter contact from the form itself (what it showed against what was
// typed), so it opens no sealed field, and two moderators who edited
// different contact fields of the same case both keep their change (the
// old compare-with-the-stored-contact wrote the second one's stale copy of
// the first one's field back).
func TestAdminCaseSaveContactFromTheForm(t *testing.T) {
	var counter *countingCipher
	s := newAdminSite(t, func(d *Deps) {
		counter = &countingCipher{Cipher: d.Admin.Cipher}
		d.Admin.Cipher = counter
	})
	mod, adm := s.staff()
	ctx := context.Background()
	c := &store.Case{Status: store.StatusPending, FullName: "Contact Edit", Sex: "female", LastSeenDate: fixedNow.AddDate(0, 0, -3),
		LastSeenPlace: "Wharf", Community: "Bonavista", Region: "Eastern"}
	id, err := s.st.CreateCase(ctx, c, store.ReporterContact{Name: "Rhoda Reporter", Phone: "709-555-0199", Email: "rhoda@example.com", Relationship: "sister"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	loc := "/admin/cases/" + strconv.FormatInt(id, 10)
	formA := formValues(t, mod.get(loc).Body.String(), "case-form")
	formB := formValues(t, adm.get(loc).Body.String(), "case-form")
	if formA.Get("reporter_phone") != "709-555-0199" || formA.Get("reporter_phone_was") != "709-555-0199" {
		t.Fatalf("edit form shows phone %q (was %q)", formA.Get("reporter_phone"), formA.Get("reporter_phone_was"))
	}

	counter.opens.Store(0)
	formA.Set("reporter_phone", "709-555-0111")
	wantStatus(t, mod.post(loc, formA), http.StatusSeeOther)
	formB.Set("reporter_name", "Rhoda R. Reporter")
	wantStatus(t, adm.post(loc, formB), http.StatusSeeOther)
	if n := counter.opens.Load(); n != 0 {
		t.Fatalf("saving opened %d sealed fields", n)
	}

	got, _ := s.st.GetCase(ctx, id)
	open := func(sealed []byte, col string) string {
		return s.cipher.OpenRowOrUnreadable(ctx, sealed, "cases", col, id, got.SealToken)
	}
	if p, n := open(got.ReporterPhone, "reporter_phone"), open(got.ReporterName, "reporter_name"); p != "709-555-0111" || n != "Rhoda R. Reporter" {
		t.Fatalf("after both saves: phone %q, name %q", p, n)
	}
	if e := open(got.ReporterEmail, "reporter_email"); e != "rhoda@example.com" {
		t.Fatalf("untouched email became %q", e)
	}
	if n := len(s.audit("case.contact_update")); n != 2 {
		t.Fatalf("%d contact audits, want 2", n)
	}

	// Saved again as shown: nothing changed, nothing written.
	again := formValues(t, mod.get(loc).Body.String(), "case-form")
	rec := mod.post(loc, again)
	wantStatus(t, rec, http.StatusSeeOther)
	if n := len(s.audit("case.contact_update")); n != 2 {
		t.Fatalf("an unchanged form wrote the contact (%d audits)", n)
	}
	if after, _ := s.st.GetCase(ctx, id); string(after.ReporterName) != string(got.ReporterName) {
		t.Fatal("an unchanged form re-sealed the name")
	}
}

// TestAdminCaseSaveKeepsUnreadableContact: a field shown as unreadable and
// left so keeps its sealed value, while another field can still be changed.
func TestAdminCaseSaveKeepsUnreadableContact(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	ctx := context.Background()
	c := &store.Case{Status: store.StatusPending, FullName: "Unreadable Edit", Sex: "male", LastSeenDate: fixedNow.AddDate(0, 0, -3),
		LastSeenPlace: "Wharf", Community: "Bonavista", Region: "Eastern"}
	id, err := s.st.CreateCase(ctx, c, store.ReporterContact{Name: "Reg Reporter", Phone: "709-555-0199"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Damage the name: it can no longer be opened.
	bad := append([]byte(nil), c.ReporterName...)
	bad[len(bad)-1] ^= 1
	if _, err := s.st.ReplaceSealed(ctx, "cases", "reporter_name", id, c.ReporterName, bad); err != nil {
		t.Fatal(err)
	}
	loc := "/admin/cases/" + strconv.FormatInt(id, 10)
	form := formValues(t, mod.get(loc).Body.String(), "case-form")
	if form.Get("reporter_name") != kit.Unreadable {
		t.Fatalf("damaged name shown as %q", form.Get("reporter_name"))
	}
	form.Set("reporter_phone", "709-555-0123")
	wantStatus(t, mod.post(loc, form), http.StatusSeeOther)
	got, _ := s.st.GetCase(ctx, id)
	if string(got.ReporterName) != string(bad) {
		t.Fatal("the unreadable name was overwritten")
	}
	if p := s.cipher.OpenRowOrUnreadable(ctx, got.ReporterPhone, "cases", "reporter_phone", id, got.SealToken); p != "709-555-0123" {
		t.Fatalf("phone %q", p)
	}
}
