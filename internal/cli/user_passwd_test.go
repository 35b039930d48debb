package cli

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
)

// TestUserPasswd: `user passwd` sets the password from stdin, ends every
// session of the account and audits it as "cli"; bad input exits 2 with
// one line and changes nothing.
func TestUserPasswd(t *testing.T) {
	env := tempEnv(t)
	const first = "correct horse battery staple 42"
	const second = "a quiet harbour at low tide"
	if r := run(t, env, first+"\n", "user", "add", "--email", "mod@example.ca", "--role", "moderator"); r.code != 0 {
		t.Fatalf("user add = %d: %s", r.code, r.stderr)
	}
	st := openDataStore(t, env["LOSTINNL_DATA_DIR"])
	u, err := st.GetUserByEmail(t.Context(), "mod@example.ca")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []byte{1, 2} {
		h := sha256.Sum256([]byte{b})
		if err := st.CreateSession(t.Context(), &store.Session{IDHash: h[:], UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	r := run(t, env, second+"\n", "user", "passwd", "--email", "MOD@example.ca")
	if r.code != 0 || !strings.Contains(r.stdout, "Password set for mod@example.ca") {
		t.Fatalf("user passwd = %d: %q %q", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, second) {
		t.Errorf("password echoed: %q %q", r.stdout, r.stderr)
	}
	st = openDataStore(t, env["LOSTINNL_DATA_DIR"])
	h := auth.NewHasher(auth.DefaultParams(), 1)
	pwdVerifies := func(pw string) bool {
		t.Helper()
		got, err := st.GetUserByEmail(t.Context(), "mod@example.ca")
		if err != nil {
			t.Fatal(err)
		}
		ok, err := h.Verify(context.Background(), got.PasswordHash, pw)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !pwdVerifies(second) || pwdVerifies(first) {
		t.Fatal("the new password is not the one stored")
	}
	if n, err := st.CountSessions(t.Context()); err != nil || n != 0 {
		t.Errorf("%d sessions left (%v)", n, err)
	}
	es, _, err := st.ListAudit(t.Context(), store.AuditFilter{Action: "user.password_set"})
	if err != nil || len(es) != 1 || es[0].UserEmail != "cli" || es[0].Record != fmt.Sprintf("user:%d", u.ID) {
		t.Fatalf("audit: %+v %v", es, err)
	}
	st.Close()

	huge := strings.Repeat("harbour ", 100<<10/8)
	bad := []struct {
		name, stdin string
		args        []string
		want        string
		oneLine     bool
	}{
		{"unknown user", second + "\n", []string{"--email", "nobody@example.ca"}, "no user with email nobody@example.ca", true},
		{"reuse", second + "\n", []string{"--email", "mod@example.ca"}, "current password", true},
		{"empty stdin", "", []string{"--email", "mod@example.ca"}, "no password given", true},
		{"short", "short\n", []string{"--email", "mod@example.ca"}, "password refused", true},
		{"common", "password1234\n", []string{"--email", "mod@example.ca"}, "password refused", true},
		{"100 KB", huge + "\n", []string{"--email", "mod@example.ca"}, "password refused", true},
		{"invalid UTF-8", "harbour \xff\xfe tide at dawn\n", []string{"--email", "mod@example.ca"}, "password refused", true},
		{"no email", second + "\n", nil, "--email", false},
		{"hostile email", second + "\n", []string{"--email", "<script>@x"}, "--email", false},
		{"stray argument", second + "\n", []string{"--email", "mod@example.ca", "extra"}, "unexpected argument", false},
	}
	for _, b := range bad {
		r := run(t, env, b.stdin, append([]string{"user", "passwd"}, b.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, b.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", b.name, r.code, r.stderr, b.want)
		}
		if b.oneLine && strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: stderr is not one line: %q", b.name, r.stderr)
		}
		if strings.Contains(r.stderr, "harbour") {
			t.Errorf("%s: password text on stderr", b.name)
		}
	}
	st = openDataStore(t, env["LOSTINNL_DATA_DIR"])
	if !pwdVerifies(second) {
		t.Fatal("a refused passwd changed the password")
	}
}
