package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lostinnl/internal/store"
)

const pfifDoc = `<?xml version="1.0" encoding="UTF-8"?>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">
  <pfif:person>
    <pfif:person_record_id>finder.example.org/person.1</pfif:person_record_id>
    <pfif:source_date>2026-11-01T09:15:00Z</pfif:source_date>
    <pfif:full_name>Tobias Fennimore</pfif:full_name>
    <pfif:sex>male</pfif:sex>
    <pfif:age>75</pfif:age>
    <pfif:home_city>Port Nowhere</pfif:home_city>
    <pfif:description>Walks with a cane.</pfif:description>
  </pfif:person>
  <pfif:person>
    <pfif:person_record_id>finder.example.org/person.2</pfif:person_record_id>
    <pfif:source_date>2026-11-02T09:15:00Z</pfif:source_date>
    <pfif:full_name>Idony Brackwater</pfif:full_name>
  </pfif:person>
  <pfif:person>
    <pfif:person_record_id>finder.example.org/person.3</pfif:person_record_id>
    <pfif:expiry_date>2020-01-01T00:00:00Z</pfif:expiry_date>
    <pfif:source_date>2019-11-02T09:15:00Z</pfif:source_date>
  </pfif:person>
</pfif:pfif>
`

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPFIFImport(t *testing.T) {
	env := tempEnv(t)
	file := writeFile(t, "persons.xml", pfifDoc)

	r := run(t, env, "", "pfif", "import", file)
	if r.code != 0 {
		t.Fatalf("pfif import = %d: %s %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"created pending case 1 from finder.example.org/person.1", "created pending case 2 from finder.example.org/person.2",
		"skipped finder.example.org/person.3: expired", "2 created, 0 already imported, 1 expired, 0 failed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "Fennimore") {
		t.Error("a person's name was printed")
	}

	// Idempotent: the second run creates nothing.
	r = run(t, env, "", "pfif", "import", file)
	if r.code != 0 || !strings.Contains(r.stdout, "already imported finder.example.org/person.1 as case 1") ||
		!strings.Contains(r.stdout, "0 created, 2 already imported, 1 expired, 0 failed") {
		t.Fatalf("second run = %d: %s %s", r.code, r.stdout, r.stderr)
	}

	st := openDataStore(t, env["LOSTINNL_DATA_DIR"])
	ctx := t.Context()
	counts, err := st.CountCasesByStatus(ctx)
	if err != nil || counts[store.StatusPending] != 2 || counts[store.StatusMissing] != 0 {
		t.Fatalf("cases by status %v (%v), want 2 pending and nothing public", counts, err)
	}
	c, err := st.GetCase(ctx, 1)
	if err != nil || c.FullName != "Tobias Fennimore" || c.Sex != "male" || c.Age == nil || *c.Age != 75 || c.Community != "Port Nowhere" ||
		!strings.Contains(c.Circumstances, "Walks with a cane.") || !strings.Contains(c.Circumstances, "finder.example.org/person.1") {
		t.Errorf("imported case: %+v (%v)", c, err)
	}
	if _, err := st.GetPublicCase(ctx, 1); err == nil {
		t.Error("imported case is public")
	}
	entries, _, err := st.ListAudit(ctx, store.AuditFilter{Action: "case.import_pfif"})
	if err != nil || len(entries) != 2 {
		t.Errorf("audit entries %d (%v), want 2 (one per created case)", len(entries), err)
	}

	// Refusals: one line naming the problem, exit 2, nothing written.
	big := writeFile(t, "big.xml", "")
	if err := os.Truncate(big, 50<<20); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		args []string
		want string
	}{
		{"no sub-command", []string{"pfif"}, "want `pfif import FILE`"},
		{"no file", []string{"pfif", "import"}, "exactly one FILE"},
		{"two files", []string{"pfif", "import", file, file}, "exactly one FILE"},
		{"missing file", []string{"pfif", "import", filepath.Join(t.TempDir(), "nope.xml")}, "no such file"},
		{"directory", []string{"pfif", "import", t.TempDir()}, "not a regular file"},
		{"50 MB", []string{"pfif", "import", big}, "more than the 10485760"},
		{"billion laughs", []string{"pfif", "import", writeFile(t, "lol.xml", `<!DOCTYPE l [<!ENTITY a "aaaa">]><pfif xmlns="http://zesty.ca/pfif/1.4"/>`)}, "line 1: DOCTYPE"},
		{"external entity", []string{"pfif", "import", writeFile(t, "xxe.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><p>&x;</p>")}, "line 2: DOCTYPE"},
		{"missing name", []string{"pfif", "import", writeFile(t, "noname.xml", `<pfif xmlns="http://zesty.ca/pfif/1.4"><person><person_record_id>a.example/9</person_record_id></person></pfif>`)}, "without full_name"},
		{"pfif 1.3", []string{"pfif", "import", writeFile(t, "old.xml", `<pfif xmlns="http://zesty.ca/pfif/1.3"/>`)}, "PFIF 1.3 is not supported"},
		{"invalid utf-8", []string{"pfif", "import", writeFile(t, "bin.xml", "<pfif xmlns=\"http://zesty.ca/pfif/1.4\">\xff</pfif>")}, "invalid UTF-8"},
	}
	for _, b := range bad {
		r := run(t, env, "", b.args...)
		if r.code != 2 || !strings.Contains(r.stderr, b.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", b.name, r.code, r.stderr, b.want)
		}
	}
	if counts, err := st.CountCasesByStatus(ctx); err != nil || counts[store.StatusPending] != 2 {
		t.Errorf("after refusals: %v (%v)", counts, err)
	}
}

func TestPFIFImportReportsRefusedRecords(t *testing.T) {
	env := tempEnv(t)
	long := strings.Repeat("x", 300)
	file := writeFile(t, "p.xml", `<pfif xmlns="http://zesty.ca/pfif/1.4">
<person><person_record_id>a.example/ok</person_record_id><source_date>2026-11-01T00:00:00Z</source_date><full_name>Oona Fenwick</full_name></person>
<person><person_record_id>a.example/long</person_record_id><source_date>2026-11-01T00:00:00Z</source_date><full_name>`+long+`</full_name></person>
</pfif>`)
	r := run(t, env, "", "pfif", "import", file)
	if r.code != 1 || !strings.Contains(r.stderr, "failed a.example/long") || !strings.Contains(r.stdout, "1 created, 0 already imported, 0 expired, 1 failed") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
}
