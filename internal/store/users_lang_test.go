package store

import "testing"

// TestUserLang: a staff member's language (issue 18) defaults to English,
// is read back by every user query, and only the site's two languages
// can be stored.
func TestUserLang(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		u := newUser(t, s, "lang@example.org", RoleModerator)
		if u.Lang != LangEnglish {
			t.Fatalf("new user's Lang = %q, want %q", u.Lang, LangEnglish)
		}
		if err := s.SetUserLang(ctxT(t), u.ID, LangFrench, &AuditEntry{Action: "account.lang", Summary: "fr-CA"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetUser(ctxT(t), u.ID)
		if err != nil || got.Lang != LangFrench {
			t.Fatalf("GetUser = %+v, %v; want Lang %q", got, err, LangFrench)
		}
		got, err = s.GetUserByEmail(ctxT(t), "lang@example.org")
		if err != nil || got.Lang != LangFrench {
			t.Fatalf("GetUserByEmail = %+v, %v; want Lang %q", got, err, LangFrench)
		}
		all, err := s.ListUsers(ctxT(t))
		if err != nil || len(all) != 1 || all[0].Lang != LangFrench {
			t.Fatalf("ListUsers = %+v, %v", all, err)
		}
		entries, _, err := s.ListAudit(ctxT(t), AuditFilter{})
		if err != nil || len(entries) != 1 || entries[0].Action != "account.lang" || entries[0].Record == "" {
			t.Fatalf("audit = %+v, %v", entries, err)
		}

		for _, bad := range []string{"", "fr", "FR-CA", "de-DE", "en-XA", "fr-CA'; DROP TABLE users; --"} {
			wantErr(t, s.SetUserLang(ctxT(t), u.ID, bad, nil), ErrInvalid)
		}
		wantErr(t, s.SetUserLang(ctxT(t), 99999, LangEnglish, nil), ErrNotFound)
		_, err = s.CreateUser(ctxT(t), &User{Email: "x@example.org", PasswordHash: "h", Role: RoleModerator, Lang: "klingon"}, nil)
		wantErr(t, err, ErrInvalid)
		fr := &User{Email: "fr@example.org", PasswordHash: "h", Role: RoleModerator, Lang: LangFrench}
		if _, err := s.CreateUser(ctxT(t), fr, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetUser(ctxT(t), fr.ID); got.Lang != LangFrench {
			t.Fatalf("created in French, read back %q", got.Lang)
		}
		// Back to English.
		if err := s.SetUserLang(ctxT(t), u.ID, LangEnglish, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetUser(ctxT(t), u.ID); got.Lang != LangEnglish {
			t.Fatalf("Lang = %q after switching back", got.Lang)
		}
	})
}
