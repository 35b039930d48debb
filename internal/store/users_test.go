package store

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

func newUser(t *testing.T, s *Store, email string, role Role) *User {
	t.Helper()
	u := &User{Email: email, DisplayName: "Staff " + email, PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", Role: role}
	if _, err := s.CreateUser(ctxT(t), u, nil); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsers(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		if n, err := s.CountUsers(ctxT(t)); err != nil || n != 0 {
			t.Fatalf("CountUsers = %d, %v", n, err)
		}
		u := &User{Email: "  Admin@Example.ORG ", DisplayName: "Ada", PasswordHash: "hash1", Role: RoleAdmin}
		id, err := s.CreateUser(ctxT(t), u, &AuditEntry{Action: "user.create"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "admin@example.org" {
			t.Fatalf("email not normalised: %q", u.Email)
		}
		_, err = s.CreateUser(ctxT(t), &User{Email: "ADMIN@example.org", PasswordHash: "h", Role: RoleModerator}, nil)
		wantErr(t, err, ErrConflict)
		_, err = s.CreateUser(ctxT(t), &User{Email: "x@example.org", PasswordHash: "h", Role: "root"}, nil)
		wantErr(t, err, ErrInvalid)

		got, err := s.GetUserByEmail(ctxT(t), "ADMIN@EXAMPLE.org")
		if err != nil || got.ID != id || got.Role != RoleAdmin || got.Disabled || got.TOTPSecret != nil {
			t.Fatalf("GetUserByEmail = %+v, %v", got, err)
		}
		_, err = s.GetUserByEmail(ctxT(t), "nobody@example.org")
		wantErr(t, err, ErrNotFound)
		_, err = s.GetUser(ctxT(t), 99999)
		wantErr(t, err, ErrNotFound)

		if err := s.SetPasswordHash(ctxT(t), id, "hash2"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.SetPasswordHash(ctxT(t), 99999, "h"), ErrNotFound)
		if err := s.SetRecoveryCodes(ctxT(t), id, "a\nb"); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetUser(ctxT(t), id)
		if got.PasswordHash != "hash2" || got.RecoveryCodes != "a\nb" {
			t.Fatalf("user = %+v", got)
		}

		// TOTP secret is sealed; nil clears it.
		ciph := newTestCipher(t)
		s.SetCipher(ciph)
		secret := []byte("JBSWY3DPEHPK3PXP")
		if err := s.SetTOTP(ctxT(t), id, secret, "c1\nc2", &AuditEntry{Action: "user.totp"}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetUser(ctxT(t), id)
		if bytes.Contains(got.TOTPSecret, secret) {
			t.Fatal("TOTP secret stored in plaintext")
		}
		if v, err := ciph.open(got.TOTPSecret, "users", "totp_secret", id, nil); err != nil || v != string(secret) || got.RecoveryCodes != "c1\nc2" {
			t.Fatalf("totp = %q, %v", v, err)
		}
		if err := s.SetTOTP(ctxT(t), id, nil, "", nil); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.GetUser(ctxT(t), id); got.TOTPSecret != nil {
			t.Fatal("TOTP not cleared")
		}
		s.SetCipher(nil)
		wantErr(t, s.SetTOTP(ctxT(t), id, secret, "", nil), ErrNoCipher)

		// Disabling signs the user out everywhere, in the same transaction.
		m := newUser(t, s, "mod@example.org", RoleModerator)
		for i := range 3 {
			if err := s.CreateSession(ctxT(t), &Session{IDHash: []byte{byte(i), 1, 2}, UserID: m.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateSession(ctxT(t), &Session{IDHash: []byte("admin"), UserID: id, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		m.Disabled = true
		m.DisplayName = "Former moderator"
		if err := s.UpdateUser(ctxT(t), m, &AuditEntry{Action: "user.disable"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountSessions(ctxT(t)); n != 1 {
			t.Fatalf("sessions after disabling = %d, want 1", n)
		}
		got, _ = s.GetUser(ctxT(t), m.ID)
		if !got.Disabled || got.DisplayName != "Former moderator" {
			t.Fatalf("update not stored: %+v", got)
		}
		wantErr(t, s.UpdateUser(ctxT(t), &User{ID: 99999, Role: RoleAdmin}, nil), ErrNotFound)

		us, err := s.ListUsers(ctxT(t))
		if err != nil || len(us) != 2 || us[0].Email != "admin@example.org" {
			t.Fatalf("ListUsers = %+v, %v", us, err)
		}
		if n := auditCount(t, s, fmt.Sprintf("user:%d", id)); n != 2 {
			t.Fatalf("user audit = %d", n)
		}
	})
}

func TestSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		u := newUser(t, s, "s@example.org", RoleModerator)
		base := time.Date(2026, 6, 1, 12, 0, 0, 123456789, time.UTC)
		sess := &Session{IDHash: bytes.Repeat([]byte{0xab}, 32), UserID: u.ID, CreatedAt: base, LastSeenAt: base, ExpiresAt: base.Add(12 * time.Hour), Data: []byte(`{"pending_2fa":true}`)}
		if err := s.CreateSession(ctxT(t), sess); err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.CreateSession(ctxT(t), &Session{IDHash: sess.IDHash, UserID: u.ID, ExpiresAt: base}), ErrConflict)
		wantErr(t, s.CreateSession(ctxT(t), &Session{UserID: u.ID, ExpiresAt: base}), ErrInvalid)
		got, err := s.GetSession(ctxT(t), sess.IDHash)
		if err != nil {
			t.Fatal(err)
		}
		if !got.CreatedAt.Equal(base.Truncate(time.Microsecond)) || !got.ExpiresAt.Equal(sess.ExpiresAt) || string(got.Data) != `{"pending_2fa":true}` {
			t.Fatalf("session = %+v", got)
		}
		if err := s.TouchSession(ctxT(t), sess.IDHash, base.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSessionData(ctxT(t), sess.IDHash, nil); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetSession(ctxT(t), sess.IDHash)
		if !got.LastSeenAt.Equal(base.Add(time.Hour).Truncate(time.Microsecond)) || got.Data != nil {
			t.Fatalf("after touch/data: %+v", got)
		}
		wantErr(t, s.TouchSession(ctxT(t), []byte("nope"), base), ErrNotFound)
		wantErr(t, s.SetSessionData(ctxT(t), []byte("nope"), nil), ErrNotFound)
		_, err = s.GetSession(ctxT(t), []byte("nope"))
		wantErr(t, err, ErrNotFound)

		// Expiry: one idle, one past absolute expiry, one alive.
		idle := &Session{IDHash: []byte("idle"), UserID: u.ID, LastSeenAt: base.Add(-2 * time.Hour), ExpiresAt: base.Add(24 * time.Hour)}
		abs := &Session{IDHash: []byte("abs"), UserID: u.ID, LastSeenAt: base, ExpiresAt: base.Add(-time.Minute)}
		for _, x := range []*Session{idle, abs} {
			if err := s.CreateSession(ctxT(t), x); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.DeleteExpiredSessions(ctxT(t), base.Add(-time.Hour), base)
		if err != nil || n != 2 {
			t.Fatalf("DeleteExpiredSessions = %d, %v", n, err)
		}
		if c, _ := s.CountSessions(ctxT(t)); c != 1 {
			t.Fatalf("sessions left = %d", c)
		}
		if err := s.DeleteSession(ctxT(t), sess.IDHash); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSession(ctxT(t), sess.IDHash); err != nil {
			t.Fatalf("second delete: %v", err)
		}
		if err := s.CreateSession(ctxT(t), &Session{IDHash: []byte("x"), UserID: u.ID, ExpiresAt: base}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUserSessions(ctxT(t), u.ID); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.CountSessions(ctxT(t)); c != 0 {
			t.Fatalf("sessions left = %d", c)
		}
		// A session must belong to a real user.
		if err := s.CreateSession(ctxT(t), &Session{IDHash: []byte("orphan"), UserID: 99999, ExpiresAt: base}); err == nil {
			t.Fatal("session for a missing user accepted")
		}
	})
}

func TestLoginFailures(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		base := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		for i := range 4 {
			if err := s.RecordLoginFailure(ctxT(t), "ip:192.0.2.1", base.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordLoginFailure(ctxT(t), "email:a@example.org", base); err != nil {
			t.Fatal(err)
		}
		n, err := s.CountLoginFailures(ctxT(t), "ip:192.0.2.1", base.Add(2*time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("count since = %d, %v", n, err)
		}
		pruned, err := s.PruneLoginFailures(ctxT(t), base.Add(time.Minute))
		if err != nil || pruned != 2 {
			t.Fatalf("pruned = %d, %v", pruned, err)
		}
		if err := s.ClearLoginFailures(ctxT(t), "ip:192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountLoginFailures(ctxT(t), "ip:192.0.2.1", base.Add(-time.Hour)); n != 0 {
			t.Fatalf("after clear = %d", n)
		}
		if n, _ := s.CountLoginFailures(ctxT(t), "email:a@example.org", base.Add(-time.Hour)); n != 0 {
			t.Fatalf("pruned key still counted: %d", n)
		}
		wantErr(t, s.RecordLoginFailure(ctxT(t), "", base), ErrInvalid)
	})
}

func TestSettings(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		_, err := s.GetSetting(ctxT(t), "require_2fa")
		wantErr(t, err, ErrNotFound)
		if err := s.SetSetting(ctxT(t), "require_2fa", "true", &AuditEntry{Action: "setting.set"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetting(ctxT(t), "require_2fa", "false", &AuditEntry{Action: "setting.set"}); err != nil {
			t.Fatal(err)
		}
		v, err := s.GetSetting(ctxT(t), "require_2fa")
		if err != nil || v != "false" {
			t.Fatalf("GetSetting = %q, %v", v, err)
		}
		if n := auditCount(t, s, "setting:require_2fa"); n != 2 {
			t.Fatalf("setting audit = %d", n)
		}
		wantErr(t, s.SetSetting(ctxT(t), "", "x", nil), ErrInvalid)
	})
}

func TestLeases(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ok, err := s.AcquireLease(ctxT(t), "retention", "a", time.Minute)
		if err != nil || !ok {
			t.Fatalf("first acquire = %v, %v", ok, err)
		}
		if ok, err := s.AcquireLease(ctxT(t), "retention", "b", time.Minute); err != nil || ok {
			t.Fatalf("second holder acquired a held lease: %v, %v", ok, err)
		}
		if ok, err := s.AcquireLease(ctxT(t), "retention", "a", time.Minute); err != nil || !ok {
			t.Fatalf("renew = %v, %v", ok, err)
		}
		if ok, _ := s.AcquireLease(ctxT(t), "mail", "b", time.Minute); !ok {
			t.Fatal("other lease not independent")
		}
		// Expire a's lease by hand; b takes over.
		if _, err := s.wdb.ExecContext(ctxT(t), "UPDATE leases SET expires_at = ? WHERE name = 'retention'", dbTime(time.Now().Add(-time.Second))); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.AcquireLease(ctxT(t), "retention", "b", time.Minute); err != nil || !ok {
			t.Fatalf("take over expired = %v, %v", ok, err)
		}
		if ok, _ := s.AcquireLease(ctxT(t), "retention", "a", time.Minute); ok {
			t.Fatal("a re-took b's lease")
		}
		if err := s.ReleaseLease(ctxT(t), "retention", "b"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.AcquireLease(ctxT(t), "retention", "a", time.Minute); !ok {
			t.Fatal("released lease not free")
		}
		_, err = s.AcquireLease(ctxT(t), "x", "a", 0)
		wantErr(t, err, ErrInvalid)
	})
}

func TestAudit(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		u := newUser(t, s, "aud@example.org", RoleAdmin)
		for i := range 5 {
			e := &AuditEntry{UserID: &u.ID, UserEmail: u.Email, Action: "case.update", Record: fmt.Sprintf("case:%d", i%2), Summary: "changed", IP: "2001:db8::1"}
			if err := s.AppendAudit(ctxT(t), e); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AppendAudit(ctxT(t), &AuditEntry{Action: "user.login_failed", Summary: "unknown email", IP: "192.0.2.9"}); err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.AppendAudit(ctxT(t), &AuditEntry{}), ErrInvalid)

		all, total, err := s.ListAudit(ctxT(t), AuditFilter{})
		if err != nil || total != 6 || len(all) != 6 {
			t.Fatalf("ListAudit = %d/%d, %v", len(all), total, err)
		}
		if all[0].Action != "user.login_failed" || all[0].UserID != nil {
			t.Fatalf("newest first with nil user: %+v", all[0])
		}
		if all[1].UserID == nil || *all[1].UserID != u.ID || all[1].IP != "2001:db8::1" {
			t.Fatalf("entry = %+v", all[1])
		}
		byUser, total, _ := s.ListAudit(ctxT(t), AuditFilter{UserID: u.ID, Record: "case:0", PerPage: 2, Page: 2})
		if total != 3 || len(byUser) != 1 {
			t.Fatalf("filtered page 2 = %d/%d", len(byUser), total)
		}
		since := all[0].CreatedAt
		recent, total, _ := s.ListAudit(ctxT(t), AuditFilter{Since: &since, Action: "user.login_failed"})
		if total != 1 || len(recent) != 1 {
			t.Fatalf("since filter = %d", total)
		}
		until := all[len(all)-1].CreatedAt.Add(-time.Second)
		if _, total, _ := s.ListAudit(ctxT(t), AuditFilter{Until: &until}); total != 0 {
			t.Fatalf("until filter = %d", total)
		}
	})
}

func TestSealedRotation(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ciph := newTestCipher(t)
		s.SetCipher(ciph)
		var ids []int64
		for i := range 3 {
			contact := ReporterContact{Name: fmt.Sprintf("Reporter %d", i)}
			if i == 1 {
				contact = ReporterContact{} // NULL: not listed
			}
			id, err := s.CreateCase(ctxT(t), newCase(fmt.Sprintf("Rot %d", i)), contact, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		vals, err := s.ListSealed(ctxT(t), "cases", "reporter_name", 0, 10)
		if err != nil || len(vals) != 2 || vals[0].ID != ids[0] || vals[1].ID != ids[2] {
			t.Fatalf("ListSealed = %+v, %v", vals, err)
		}
		page2, _ := s.ListSealed(ctxT(t), "cases", "reporter_name", ids[0], 10)
		if len(page2) != 1 || page2[0].ID != ids[2] {
			t.Fatalf("after id = %+v", page2)
		}
		other := newTestCipher(t)
		resealed, _ := other.SealRow(ctxT(t), "cases", ids[0], vals[0].Token, []string{"reporter_name"}, [][]byte{[]byte("Reporter 0")})
		ok, err := s.ReplaceSealed(ctxT(t), "cases", "reporter_name", ids[0], vals[0].Value, resealed[0])
		if err != nil || !ok {
			t.Fatalf("ReplaceSealed = %v, %v", ok, err)
		}
		// Compare-and-swap: the old value is gone now.
		if ok, _ := s.ReplaceSealed(ctxT(t), "cases", "reporter_name", ids[0], vals[0].Value, resealed[0]); ok {
			t.Fatal("stale compare-and-swap succeeded")
		}
		got, _ := s.GetCase(ctxT(t), ids[0])
		if v, err := other.open(got.ReporterName, "cases", "reporter_name", ids[0], got.SealToken); err != nil || v != "Reporter 0" {
			t.Fatalf("rotated value = %q, %v", v, err)
		}
		for _, bad := range [][2]string{{"cases", "full_name"}, {"users", "password_hash"}, {"cases; DROP TABLE cases", "x"}, {"tips", "message"}} {
			_, err := s.ListSealed(ctxT(t), bad[0], bad[1], 0, 1)
			wantErr(t, err, ErrInvalid)
			_, err = s.ReplaceSealed(ctxT(t), bad[0], bad[1], 1, []byte("a"), []byte("b"))
			wantErr(t, err, ErrInvalid)
		}
		for _, col := range SealedColumns() {
			if _, err := s.ListSealed(ctxT(t), col.Table, col.Column, 0, 1); err != nil {
				t.Errorf("ListSealed(%s, %s): %v", col.Table, col.Column, err)
			}
		}
	})
}
