package store

import (
	"testing"
	"time"
)

// The languages of issue 18 the mail reads: a subscription's (kept from
// the request, changed only while unconfirmed), a staff member's, and the
// case's for its reporter.
func TestSubscriptionLang(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		caseID := mustCreate(t, s, newCase("Followed Person"), StatusMissing)
		at := time.Now().UTC()
		lang := func(email string) []string {
			t.Helper()
			subs, err := s.SubscriptionsOf(ctx, testIndex(email))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, x := range subs {
				out = append(out, x.Lang)
			}
			return out
		}

		fr := subReq("fr@example.org", caseID, nil, at)
		fr.Lang = "fr-CA"
		if _, err := s.Subscribe(ctx, fr); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Subscribe(ctx, subReq("en@example.org", 0, []string{"Avalon", "Central"}, at)); err != nil {
			t.Fatal(err)
		}
		if got := lang("fr@example.org"); len(got) != 1 || got[0] != "fr-CA" {
			t.Fatalf("French follower: %q", got)
		}
		if got := lang("en@example.org"); len(got) != 2 || got[0] != "en-CA" || got[1] != "en-CA" {
			t.Fatalf("default: %q", got)
		}
		bad := subReq("x@example.org", caseID, nil, at)
		bad.Lang = "de-DE"
		_, err := s.Subscribe(ctx, bad)
		wantErr(t, err, ErrInvalid)

		// Asked again in English before confirming: the new mail is
		// English, so is the subscription.
		again := subReq("fr@example.org", caseID, nil, at)
		if _, err := s.Subscribe(ctx, again); err != nil {
			t.Fatal(err)
		}
		if got := lang("fr@example.org"); got[0] != "en-CA" {
			t.Fatalf("after an English request: %q", got)
		}
		// In French, confirmed: anyone typing the address later changes
		// nothing.
		again = subReq("fr@example.org", caseID, nil, at)
		again.Lang = "fr-CA"
		if _, err := s.Subscribe(ctx, again); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ConfirmSubscription(ctx, again.ConfirmToken, at); err != nil {
			t.Fatal(err)
		}
		late := subReq("fr@example.org", caseID, nil, at)
		if res, err := s.Subscribe(ctx, late); err != nil || res != SubscribeAlready {
			t.Fatalf("late request: %v, %v", res, err)
		}
		followers, err := s.Followers(ctx, caseID, 0, 10)
		if err != nil || len(followers) != 1 || followers[0].Lang != "fr-CA" {
			t.Fatalf("followers %+v, %v", followers, err)
		}
		en := subReq("en@example.org", 0, []string{"Avalon"}, at)
		if _, err := s.Subscribe(ctx, en); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ConfirmSubscription(ctx, en.ConfirmToken, at); err != nil {
			t.Fatal(err)
		}
		area, err := s.AreaSubscribers(ctx, "Avalon", 0, 10)
		if err != nil || len(area) != 1 || area[0].Lang != "en-CA" {
			t.Fatalf("area subscribers %+v, %v", area, err)
		}

		// Staff: users.lang comes with the recipients.
		m := newUser(t, s, "mod@example.org", RoleModerator)
		a := newUser(t, s, "admin@example.org", RoleAdmin)
		if _, err := s.wdb.ExecContext(ctx, "UPDATE users SET lang = 'fr-CA' WHERE id = ?", m.ID); err != nil {
			t.Fatal(err)
		}
		staff, err := s.StaffRecipients(ctx, 0, 10)
		if err != nil || len(staff) != 2 {
			t.Fatalf("staff %+v, %v", staff, err)
		}
		for _, r := range staff {
			want := map[int64]string{m.ID: "fr-CA", a.ID: "en-CA"}[r.UserID]
			if r.Lang != want {
				t.Errorf("staff %d: lang %q, want %q", r.UserID, r.Lang, want)
			}
		}
	})
}
