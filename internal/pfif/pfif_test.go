package pfif

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

func utc(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func parseFile(t *testing.T, name string) []Person {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, err := Parse(f, Limits{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ps
}

func TestParsePersonWithNotes(t *testing.T) {
	ps := parseFile(t, "person_with_notes.xml")
	if len(ps) != 1 {
		t.Fatalf("%d persons", len(ps))
	}
	p := ps[0]
	want := Person{
		RecordID: "finder.example.org/person.4040", EntryDate: utc("2026-11-02T14:30:00Z"), ExpiryDate: utc("2027-11-02T14:30:00Z"),
		AuthorName: "Marta Ostrander", AuthorEmail: "marta@example.org", AuthorPhone: "+1 555 0100",
		SourceName: "Example Finder", SourceDate: utc("2026-11-01T09:15:00Z"), SourceURL: "https://finder.example.org/view?id=4040",
		FullName: "Tobias Fennimore", GivenName: "Tobias", FamilyName: "Fennimore", AlternateNames: "Toby Fen",
		Description: "Tall, grey beard, walks with a cane & wears a <blue> cap.", Sex: "male", DateOfBirth: "1951-03-09", Age: "75",
		HomeStreet: "12 Imaginary Lane", HomeNeighborhood: "Upper Town", HomeCity: "Port Nowhere", HomeState: "NL",
		HomePostalCode: "A0A 0A0", HomeCountry: "CA", PhotoURL: "https://finder.example.org/photo/4040.jpg",
		ProfileURLs: "https://social.example.net/tfen",
		Notes: []Note{
			{RecordID: "finder.example.org/note.1", PersonRecordID: "finder.example.org/person.4040", EntryDate: utc("2026-11-02T15:00:00Z"),
				AuthorName: "Ada Quarry", SourceDate: utc("2026-11-02T15:00:00Z"), Status: "information_sought", AuthorMadeContact: "false",
				LastKnownLocation: "Harbour road near the fish plant", Text: "Seen walking toward the harbour."},
			{RecordID: "finder.example.org/note.2", PersonRecordID: "finder.example.org/person.4040", EntryDate: utc("2026-11-03T08:00:00Z"),
				AuthorName: "Ada Quarry", SourceDate: utc("2026-11-03T08:00:00Z"), Status: "believed_missing",
				LastKnownLocation: "Bus shelter, Main Street", Text: "Still not home."},
		},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got  %+v\nwant %+v", p, want)
	}
	c := ToCase(p, utc("2026-12-01T00:00:00Z"))
	if c.Status != store.StatusPending || c.FullName != "Tobias Fennimore" || c.Aliases != "Toby Fen" || c.Sex != "male" ||
		c.Age == nil || *c.Age != 75 || c.BirthDate == nil || c.LastSeenPlace != "Bus shelter, Main Street" ||
		c.LastSeenDate != utc("2026-11-01T00:00:00Z") || c.Community != "Port Nowhere" || c.Region != "" {
		t.Errorf("case: %+v", c)
	}
	if !strings.HasPrefix(c.Circumstances, "Tall, grey beard") || !strings.Contains(c.Circumstances, "Imported from PFIF record finder.example.org/person.4040 (source: Example Finder, https://finder.example.org/view?id=4040).") {
		t.Errorf("circumstances: %q", c.Circumstances)
	}
	// The author's contact is the partner's private data: it stays out.
	if strings.Contains(c.Circumstances, "marta@") || strings.Contains(c.Circumstances, "0100") {
		t.Error("author contact copied into the case")
	}
}

func TestParseManyPersons(t *testing.T) {
	ps := parseFile(t, "many_persons.xml")
	if len(ps) != 3 {
		t.Fatalf("%d persons", len(ps))
	}
	if ps[0].Age != "30-35" || ps[0].Sex != "female" || len(ps[0].Notes) != 0 {
		t.Errorf("p1: %+v", ps[0])
	}
	if len(ps[1].Notes) != 1 || ps[1].Notes[0].Status != "believed_alive" || ps[1].Notes[0].LastKnownLocation != "Gander bus depot" {
		t.Errorf("p2 notes: %+v", ps[1].Notes)
	}
	c := ToCase(ps[0], utc("2026-12-01T00:00:00Z"))
	if *c.Age != 30 || !strings.Contains(c.Circumstances, "Age given as 30-35.") {
		t.Errorf("age range: %v %q", *c.Age, c.Circumstances)
	}
	if c := ToCase(ps[2], utc("2026-12-01T00:00:00Z")); c.FullName != "Oona" || c.Sex != "unknown" || c.Age != nil ||
		c.LastSeenDate != utc("2026-10-12T00:00:00Z") {
		t.Errorf("p3: %+v", c)
	}
}

func TestRoundTrip(t *testing.T) {
	age, h := 34, 170
	photo := &store.Photo{Key: "k1"}
	located := utc("2026-11-20T12:00:00Z")
	cases := []store.Case{
		{ID: 12, Status: store.StatusMissing, FullName: "Wren Tiberius", Aliases: "Birdie", Age: &age, Sex: "female",
			HeightCM: &h, Build: "slim", HairColour: "auburn", EyeColour: "green", Features: "scar on left hand", Clothing: "red raincoat",
			LastSeenDate: utc("2026-10-01T00:00:00Z"), LastSeenTime: "18:30", LastSeenPlace: "ferry dock", Community: "Pouch Cove",
			Region: "Avalon", Circumstances: "Left by bike.", PoliceAgency: "RNC", PolicePhone: "709-555-0199", PoliceFileNumber: "F-1",
			UpdatedAt: utc("2026-10-03T10:11:12Z"), PrimaryPhoto: photo,
			ReporterName: store.Sealed("SEALED-NAME"), RejectReason: "never-public-reason"},
		{ID: 13, Status: store.StatusMissing, FullName: "Anse  de la Mer Quill", Sex: "unknown", LastSeenDate: utc("2026-10-05T00:00:00Z"),
			UpdatedAt: utc("2026-10-06T00:00:00Z")},
		{ID: 14, Status: store.StatusLocated, FullName: "Found Person", Features: "must not travel", LastSeenDate: utc("2026-09-01T00:00:00Z"),
			LocatedAt: &located, UpdatedAt: utc("2026-11-20T12:00:05Z")},
	}
	o := ExportOptions{Domain: "lostinnl.example", SiteName: "LostInNL", BaseURL: "https://lostinnl.example",
		Expiry: func(c *store.Case) time.Time {
			if c.ID == 12 {
				return utc("2027-10-01T00:00:00Z")
			}
			return time.Time{}
		},
		PhotoURL: func(p *store.Photo) string { return "https://lostinnl.example/media/" + p.Key + "/800.jpg" },
		Now:      utc("2026-12-01T00:00:00Z")}
	var buf bytes.Buffer
	if err := Export(&buf, cases, o); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"SEALED", "never-public", "must not travel", "Found Person"} {
		if strings.Contains(buf.String(), bad) {
			t.Errorf("export contains %q", bad)
		}
	}
	ps, err := Parse(&buf, Limits{})
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(ps) != 3 {
		t.Fatalf("%d persons", len(ps))
	}
	wantDesc := "Last seen: 2026-10-01 18:30\nPlace last seen: ferry dock, Pouch Cove, Avalon\nHeight: 170 cm\nBuild: slim\nHair: auburn\n" +
		"Eyes: green\nDistinguishing features: scar on left hand\nClothing: red raincoat\nCircumstances: Left by bike.\n" +
		"Police: RNC, 709-555-0199, file F-1\nIf you have seen this person: call 911"
	want := Person{RecordID: "lostinnl.example/case.12", EntryDate: utc("2026-10-03T10:11:12Z"), ExpiryDate: utc("2027-10-01T00:00:00Z"),
		AuthorName: "LostInNL", SourceName: "LostInNL", SourceDate: utc("2026-10-03T10:11:12Z"), SourceURL: "https://lostinnl.example/cases/12",
		FullName: "Wren Tiberius", GivenName: "Wren", FamilyName: "Tiberius", AlternateNames: "Birdie", Description: wantDesc,
		Sex: "female", Age: "34", HomeCity: "Pouch Cove", HomeState: "NL", HomeCountry: "CA",
		PhotoURL: "https://lostinnl.example/media/k1/800.jpg", ProfileURLs: "https://lostinnl.example/cases/12"}
	if !reflect.DeepEqual(ps[0], want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", ps[0], want)
	}
	if p := ps[1]; p.GivenName != "" || p.FamilyName != "" || p.Sex != "" || !p.ExpiryDate.IsZero() || p.FullName != "Anse  de la Mer Quill" {
		t.Errorf("no-guess fields: %+v", p)
	}
	// The located case: an expired record with nothing but ids and dates.
	if p := ps[2]; !reflect.DeepEqual(p, Person{RecordID: "lostinnl.example/case.14", EntryDate: utc("2026-11-20T12:00:05Z"),
		ExpiryDate: located, SourceDate: utc("2026-11-20T12:00:05Z")}) {
		t.Errorf("closed case exported as %+v", p)
	}
	// Round trip back into a case: the public fields survive.
	c := ToCase(ps[0], o.Now)
	if c.FullName != "Wren Tiberius" || c.Aliases != "Birdie" || c.Sex != "female" || *c.Age != 34 || c.Community != "Pouch Cove" ||
		!strings.Contains(c.Circumstances, "red raincoat") || c.Status != store.StatusPending {
		t.Errorf("case from export: %+v", c)
	}
	if CasePath(12) != "/pfif/1.4/persons/12.xml" || RecordID("d.example", 7) != "d.example/case.7" {
		t.Errorf("paths: %s %s", CasePath(12), RecordID("d.example", 7))
	}
	if err := Export(io.Discard, cases, ExportOptions{Domain: "x"}); err == nil {
		t.Error("export without options accepted")
	}
}

func TestExportHostileText(t *testing.T) {
	cases := []store.Case{{ID: 1, Status: store.StatusMissing, FullName: "A\x00\x1b<script>]]>&\xffB", Features: "x]]><y/>",
		LastSeenDate: utc("2026-10-01T00:00:00Z"), UpdatedAt: utc("2026-10-01T00:00:00Z")}}
	var buf bytes.Buffer
	if err := Export(&buf, cases, ExportOptions{Domain: "d", SiteName: "S", BaseURL: "https://s", Expiry: func(*store.Case) time.Time { return time.Time{} }}); err != nil {
		t.Fatal(err)
	}
	ps, err := Parse(&buf, Limits{})
	if err != nil {
		t.Fatalf("own export does not parse: %v", err)
	}
	if ps[0].FullName != "A<script>]]>&B" || !strings.Contains(ps[0].Description, "x]]><y/>") {
		t.Errorf("hostile text: %q / %q", ps[0].FullName, ps[0].Description)
	}
}

// countingReader makes n bytes of filler on demand and counts what was read.
type countingReader struct {
	head []byte
	left int64
	read int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	if len(r.head) > 0 {
		n := copy(p, r.head)
		r.head = r.head[n:]
		r.read += int64(n)
		return n, nil
	}
	if r.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	for i := range p {
		p[i] = ' '
	}
	r.left -= int64(len(p))
	r.read += int64(len(p))
	return len(p), nil
}

func TestRefusesOversizedWithoutReadingIt(t *testing.T) {
	r := &countingReader{head: []byte(`<pfif xmlns="http://zesty.ca/pfif/1.4"><person><description>`), left: 50 << 20}
	_, err := Parse(r, Limits{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "larger than 10485760 bytes") {
		t.Fatalf("err = %v", err)
	}
	if r.read > 11<<20 {
		t.Errorf("read %d bytes of a 50 MB document", r.read)
	}
}

func TestHostileDocuments(t *testing.T) {
	const ok = `<person><person_record_id>a.example/1</person_record_id><full_name>X</full_name></person>`
	doc := func(body string) string { return `<pfif xmlns="http://zesty.ca/pfif/1.4">` + body + `</pfif>` }
	deep := strings.Repeat("<x:a xmlns:x='urn:x'>", 100) + strings.Repeat("</x:a>", 100)
	tests := []struct {
		name, in, want string
		lim            Limits
	}{
		{"billion laughs", `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<pfif xmlns="http://zesty.ca/pfif/1.4"><person><full_name>&lol2;</full_name></person></pfif>`, "line 2: DOCTYPE", Limits{}},
		{"external entity", `<!DOCTYPE pfif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` + doc(`<person><full_name>&xxe;</full_name></person>`), "DOCTYPE", Limits{}},
		{"undeclared entity", doc(`<person><person_record_id>a.example/1</person_record_id><full_name>&xxe;</full_name></person>`), "line 1: not well-formed XML: invalid character entity &xxe;", Limits{}},
		{"deep nesting", doc(`<person>` + deep + `</person>`), "nested deeper than 8 levels", Limits{}},
		{"element count", doc(strings.Repeat(ok[:0]+"<x:e xmlns:x='urn:x'/>", 50)), "more than 20 elements", Limits{MaxElements: 20}},
		{"too many persons", doc(ok + strings.ReplaceAll(ok, "/1", "/2") + strings.ReplaceAll(ok, "/1", "/3")), "more than 2 persons", Limits{MaxPersons: 2}},
		{"long field", doc(`<person><description>` + strings.Repeat("a", 200) + `</description></person>`), "<description> is longer than 100 bytes", Limits{MaxField: 100}},
		{"invalid utf-8", doc("<person><full_name>\xff\xfe</full_name></person>"), "invalid UTF-8", Limits{}},
		{"latin-1 declared", `<?xml version="1.0" encoding="ISO-8859-1"?>` + doc(ok), "ISO-8859-1", Limits{}},
		{"missing id", doc("\n<person>\n<full_name>X</full_name></person>"), "line 2: person without person_record_id", Limits{}},
		{"missing name", doc(`<person><person_record_id>a.example/1</person_record_id></person>`), `person "a.example/1" without full_name`, Limits{}},
		{"bad id", doc(`<person><person_record_id>no-slash</person_record_id><full_name>X</full_name></person>`), "not of the form domain/id", Limits{}},
		{"bad date", doc(`<person><person_record_id>a.example/1</person_record_id><entry_date>2026-13-01</entry_date></person>`), "<entry_date>", Limits{}},
		{"local date", doc(`<person><person_record_id>a.example/1</person_record_id><entry_date>2026-10-01T10:00:00+02:00</entry_date></person>`), "UTC", Limits{}},
		{"bad sex", doc(`<person><person_record_id>a.example/1</person_record_id><sex>robot</sex></person>`), `"robot" is not female, male or other`, Limits{}},
		{"bad age", doc(`<person><person_record_id>a.example/1</person_record_id><age>40-30</age></person>`), "not an age", Limits{}},
		{"bad dob", doc(`<person><person_record_id>a.example/1</person_record_id><date_of_birth>March 1950</date_of_birth></person>`), "date_of_birth", Limits{}},
		{"bad note status", doc(`<person><person_record_id>a.example/1</person_record_id><full_name>X</full_name><note><note_record_id>a.example/n</note_record_id><status>gone</status></note></person>`), "not a PFIF 1.4 note status", Limits{}},
		{"duplicate person", doc(ok + ok), `"a.example/1" appears twice`, Limits{}},
		{"element in field", doc(`<person><full_name><b>X</b></full_name></person>`), "inside <full_name>", Limits{}},
		{"pfif 1.3", `<pfif xmlns="http://zesty.ca/pfif/1.3">` + ok + `</pfif>`, "PFIF 1.3 is not supported", Limits{}},
		{"pfif 1.2", `<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.2"></pfif:pfif>`, "PFIF 1.2 is not supported", Limits{}},
		{"no namespace", `<pfif>` + ok + `</pfif>`, "want <pfif> in", Limits{}},
		{"unknown child", doc(`<people/>`), "unexpected <people>", Limits{}},
		{"two roots", doc(ok) + doc(ok), "more than one root element", Limits{}},
		{"empty", "", "empty document", Limits{}},
		{"truncated", doc(ok)[:60], "not well-formed", Limits{}},
		{"small limit", doc(ok), "larger than 50 bytes", Limits{MaxBytes: 50}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := Parse(strings.NewReader(tc.in), tc.lim)
			if err == nil {
				t.Fatalf("accepted: %+v", ps)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *pfif.Error", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}
