package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"lostinnl/internal/auth"
	"lostinnl/internal/mail"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

// openDataStore opens the SQLite database of a data directory the CLI made,
// with the directory's own local keeper as field cipher.
func openDataStore(t *testing.T, dataDir string) *store.Store {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dataDir, "lostinnl.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	k, err := secrets.OpenKeeper(ctx, "", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	st.SetCipher(secrets.NewFieldCipher(k, nil))
	return st
}

func TestUserAdd(t *testing.T) {
	env := tempEnv(t)

	// Empty stdin: a password is generated and printed once.
	r := run(t, env, "", "user", "add", "--email", "Ada@Example.CA", "--role", "admin")
	if r.code != 0 {
		t.Fatalf("user add = %d: %s", r.code, r.stderr)
	}
	const marker = "Password (shown once, store it safely): "
	i := strings.Index(r.stdout, marker)
	if i < 0 {
		t.Fatalf("no generated password in %q", r.stdout)
	}
	generated := strings.TrimSpace(r.stdout[i+len(marker):])

	// A password given on stdin is used, never echoed.
	const chosen = "correct horse battery staple 42"
	r = run(t, env, chosen+"\n", "user", "add", "--email", "mod@example.ca", "--role", "moderator", "--name", "Mo Derator")
	if r.code != 0 {
		t.Fatalf("user add (stdin) = %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, chosen) {
		t.Errorf("password echoed: %q %q", r.stdout, r.stderr)
	}

	st := openDataStore(t, env["LOSTINNL_DATA_DIR"])
	h := auth.NewHasher(auth.DefaultParams(), 1)
	for _, c := range []struct {
		email, pw string
		role      store.Role
	}{{"ada@example.ca", generated, store.RoleAdmin}, {"mod@example.ca", chosen, store.RoleModerator}} {
		u, err := st.GetUserByEmail(t.Context(), c.email)
		if err != nil {
			t.Fatalf("%s: %v", c.email, err)
		}
		if u.Role != c.role {
			t.Errorf("%s: role %q", c.email, u.Role)
		}
		if ok, err := h.Verify(t.Context(), u.PasswordHash, c.pw); err != nil || !ok {
			t.Errorf("%s: password does not verify (%v)", c.email, err)
		}
	}
	entries, _, err := st.ListAudit(t.Context(), store.AuditFilter{Action: "user.create"})
	if err != nil || len(entries) != 2 {
		t.Errorf("audit entries for user.create = %d (%v), want 2", len(entries), err)
	}

	// Refusals: exit 2 with one clear line, nothing created.
	bad := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"duplicate", "", []string{"--email", "ADA@example.ca", "--role", "admin"}, "already exists"},
		{"common password", "password1234\n", []string{"--email", "new@example.ca", "--role", "admin"}, "password refused"},
		{"short password", "short\n", []string{"--email", "new@example.ca", "--role", "admin"}, "password refused"},
		{"bad role", "", []string{"--email", "new@example.ca", "--role", "root"}, "--role"},
		{"no email", "", []string{"--role", "admin"}, "--email"},
		{"hostile email", "", []string{"--email", "<script>@x", "--role", "admin"}, "--email"},
	}
	for _, b := range bad {
		r := run(t, env, b.stdin, append([]string{"user", "add"}, b.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, b.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", b.name, r.code, r.stderr, b.want)
		}
	}
	if n, err := st.CountUsers(t.Context()); err != nil || n != 2 {
		t.Errorf("users = %d (%v), want 2", n, err)
	}
}

// Reporter contact details are stored sealed: the raw database bytes never
// contain them, `secret rotate` re-wraps them and they still open after.
func TestSealedAtRestAndRotate(t *testing.T) {
	env := tempEnv(t)
	if r := run(t, env, "", "migrate"); r.code != 0 {
		t.Fatalf("migrate = %d: %s", r.code, r.stderr)
	}
	dataDir := env["LOSTINNL_DATA_DIR"]
	st := openDataStore(t, dataDir)
	contact := store.ReporterContact{Name: "Perpetua Quillfeather", Phone: "709-555-0142", Email: "perpetua@example.ca", Relationship: "aunt"}
	c := &store.Case{Status: store.StatusPending, FullName: "Test Person", Sex: "female", LastSeenDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		LastSeenPlace: "Harbour", Community: "Twillingate", Region: "Central", Circumstances: "Walked out", PoliceAgency: "RCMP", PoliceFileNumber: "X-1"}
	id, err := st.CreateCase(t.Context(), c, contact, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The mail master key, as `serve` makes it.
	mk, err := secrets.OpenKeeper(t.Context(), "", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mail.LoadKeys(t.Context(), st, mk); err != nil {
		t.Fatal(err)
	}
	mk.Close()
	st.Close()

	raw := rawCaseRow(t, filepath.Join(dataDir, "lostinnl.db"), id)
	for _, v := range []string{contact.Name, contact.Phone, contact.Email, "Quillfeather", "555-0142"} {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("raw row contains plaintext %q", v)
		}
	}

	r := run(t, env, "", "secret", "rotate", "--batch", "1")
	if r.code != 0 {
		t.Fatalf("secret rotate = %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "4") {
		t.Errorf("rotate counts %q should mention the 4 sealed values", r.stdout)
	}
	if !strings.Contains(r.stderr, "mail key re-wrapped") {
		t.Errorf("rotate did not re-wrap the mail key: %s", r.stderr)
	}
	if r := run(t, env, "", "secret", "rotate", "--batch", "0"); r.code != 2 {
		t.Errorf("--batch 0: exit %d", r.code)
	}

	st = openDataStore(t, dataDir)
	got, err := st.GetCase(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	k, err := secrets.OpenKeeper(t.Context(), "", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	fc := secrets.NewFieldCipher(k, nil)
	if name := fc.OpenRowOrUnreadable(t.Context(), got.ReporterName, "cases", "reporter_name", id, got.SealToken); name != contact.Name {
		t.Errorf("after rotate reporter name = %q", name)
	}
	// Copied onto another column, a sealed value does not open.
	if v := fc.OpenRowOrUnreadable(t.Context(), got.ReporterName, "cases", "reporter_email", id, got.SealToken); v != secrets.Unreadable {
		t.Errorf("value moved to another column opened as %q", v)
	}
}

func rawCaseRow(t *testing.T, dbPath string, id int64) []byte {
	t.Helper()
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var a, b, c, d []byte
	if err := db.QueryRow(`SELECT reporter_name, reporter_phone, reporter_email, reporter_relationship FROM cases WHERE id = ?`, id).Scan(&a, &b, &c, &d); err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 || len(c) == 0 {
		t.Fatal("sealed columns are empty")
	}
	whole, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Join([][]byte{a, b, c, d, whole}, []byte{0})
}

// Known secrets and personal values pass through start-up, a failing
// request and the store's write path: none may appear in the logs.
func TestLogsCarryNoSecretsOrPersonalData(t *testing.T) {
	env := tempEnv(t)
	const smtpSecret = "s3cr3t-smtp-passw0rd"
	env["LOSTINNL_SMTP_URL"] = "smtps://mailer:" + smtpSecret + "@smtp.example.ca:465"
	env["LOSTINNL_LOG_LEVEL"] = "debug"
	env["LOSTINNL_FORM_RATE_LIMIT"] = "1000"
	env["LOSTINNL_FORM_RATE_BURST"] = "1000"
	pub, _, errb, stop := startServe(t, env, "--demo") // demo cases take tips

	personal := map[string]string{
		"full_name": "Zephyrine Oddbody", "last_seen_place": "Gull Pond trailhead", "community": "Gander",
		"circumstances": "Left for a walk at dusk", "police_agency": "RCMP", "police_file_number": "2026-77123",
		"reporter_name": "Barnaby Quirkwell", "reporter_phone": "709-555-0188", "reporter_email": "barnaby.q@example.ca",
		"reporter_relationship": "neighbour", "sex": "female", "region": "Central", "age": "44",
		"last_seen_date": "2026-11-20", "consent": "yes",
	}
	post := func(fields map[string]string) int {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		mw.Close()
		resp, err := http.Post(pub+"/submit", mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(personal); code != http.StatusOK && code != http.StatusSeeOther {
		t.Fatalf("valid report: status %d", code)
	}
	// A failing request: the same personal data with a bad email and date.
	bad := map[string]string{}
	for k, v := range personal {
		bad[k] = v
	}
	bad["reporter_email"] = "barnaby.q@@example.ca\nforged=1"
	bad["last_seen_date"] = "2099-01-01"
	if code := post(bad); code != http.StatusUnprocessableEntity {
		t.Errorf("invalid report: status %d, want 422", code)
	}
	// A tip and a contact message with personal values.
	form := url.Values{"name": {"Barnaby Quirkwell"}, "email": {"barnaby.q@example.ca"}, "subject": {"Hello"}, "message": {"Zephyrine Oddbody was seen"}}
	if resp, err := http.PostForm(pub+"/contact", form); err == nil {
		resp.Body.Close()
	}
	// A tip on a published case, once valid and once refused.
	var public struct {
		Cases []struct {
			ID int64 `json:"id"`
		} `json:"cases"`
	}
	resp, err := http.Get(pub + "/api/v1/cases")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(resp.Body).Decode(&public); err != nil || len(public.Cases) == 0 {
		t.Fatalf("public cases: %v %v", public, err)
	}
	resp.Body.Close()
	tipURL := fmt.Sprintf("%s/cases/%d/tips", pub, public.Cases[0].ID)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tip := range []url.Values{
		{"message": {"Saw Zephyrine Oddbody near Gull Pond"}, "name": {"Barnaby Quirkwell"}, "phone": {"709-555-0188"}, "email": {"barnaby.q@example.ca"}},
		{"message": {""}, "name": {"Barnaby Quirkwell"}, "phone": {"709-555-0188x\nforged=1"}},
	} {
		resp, err := noRedirect.PostForm(tipURL, tip)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("tip: status %d", resp.StatusCode)
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
	logs := errb.String()
	if !strings.Contains(logs, "method=POST") || !strings.Contains(logs, "status=422") {
		t.Fatalf("expected access log lines for the requests; got:\n%s", logs)
	}
	for _, v := range []string{smtpSecret, "Zephyrine", "Oddbody", "Quirkwell", "709-555-0188", "barnaby.q@", "Gull Pond", "2026-77123", "forged"} {
		if strings.Contains(logs, v) {
			t.Errorf("logs contain %q", v)
		}
	}
	// And the report was stored, sealed.
	st := openDataStore(t, env["LOSTINNL_DATA_DIR"])
	list, err := st.SearchCases(context.Background(), store.CaseQuery{Q: "Zephyrine Oddbody", Statuses: []store.Status{store.StatusPending}})
	if err != nil || list.Total != 1 || len(list.Cases[0].ReporterName) == 0 {
		t.Fatalf("the report is not stored as a pending case with a sealed reporter (%v)", err)
	}
	if _, n, err := st.ListTips(context.Background(), store.TipFilter{CaseID: public.Cases[0].ID}); err != nil || n != 1 {
		t.Errorf("tips stored = %d (%v), want the one valid tip", n, err)
	}
}

func TestBackupRestoreCommands(t *testing.T) {
	env := tempEnv(t)
	if r := run(t, env, "", "migrate"); r.code != 0 {
		t.Fatalf("migrate = %d: %s", r.code, r.stderr)
	}
	st := openDataStore(t, env["LOSTINNL_DATA_DIR"])
	if _, err := st.CreateMessage(t.Context(), &store.Message{Name: "A", Email: "a@example.ca", Subject: "kept", Body: "in the backup"}); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	r := run(t, env, "", "backup", "--out", archive)
	if r.code != 0 {
		t.Fatalf("backup = %d: %s", r.code, r.stderr)
	}
	if fi, err := os.Stat(archive); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("archive: %v %v", fi, err)
	}
	if r := run(t, env, "", "backup"); r.code != 2 {
		t.Errorf("backup without --out: exit %d", r.code)
	}

	fresh := tempEnv(t)
	if r := run(t, fresh, "", "restore", "--from", archive); r.code != 0 {
		t.Fatalf("restore = %d: %s", r.code, r.stderr)
	}
	// Into a non-empty directory: refused (exit 1), nothing overwritten.
	if r := run(t, fresh, "", "restore", "--from", archive); r.code != 1 {
		t.Errorf("second restore: exit %d, want 1: %s", r.code, r.stderr)
	}
	restored, err := store.Open(t.Context(), "sqlite:"+filepath.Join(fresh["LOSTINNL_DATA_DIR"], "lostinnl.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	msgs, n, err := restored.ListMessages(t.Context(), false, 1, 10)
	if err != nil || n != 1 || msgs[0].Subject != "kept" {
		t.Errorf("restored messages = %v %d %v", msgs, n, err)
	}
	mysqlEnv := tempEnv(t)
	mysqlEnv["LOSTINNL_DATABASE_URL"] = "mysql://root@tcp(127.0.0.1:3306)/nothing"
	if r := run(t, mysqlEnv, "", "restore", "--from", archive); r.code != 2 || !strings.Contains(r.stderr, "LOSTINNL_DATABASE_URL") {
		t.Errorf("restore for MySQL: exit %d %q", r.code, r.stderr)
	}
}
