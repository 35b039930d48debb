package pfif

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Limits bound what Parse reads. Zero fields take DefaultLimits' values.
type Limits struct {
	MaxBytes    int64 // whole document; checked while streaming
	MaxDepth    int   // element nesting
	MaxElements int   // elements in the document
	MaxPersons  int
	MaxField    int // bytes of one field's text
}

// DefaultLimits: 10 MB holds about 10,000 records with long descriptions,
// far more than one partner export we would review by hand.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 10 << 20, MaxDepth: 8, MaxElements: 500_000, MaxPersons: 10_000, MaxField: 20_000}
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxElements <= 0 {
		l.MaxElements = d.MaxElements
	}
	if l.MaxPersons <= 0 {
		l.MaxPersons = d.MaxPersons
	}
	if l.MaxField <= 0 {
		l.MaxField = d.MaxField
	}
	return l
}

// ErrTooLarge: the document is over Limits.MaxBytes (errors.Is).
var ErrTooLarge = errors.New("document too large")

// Error is a problem in the document, with the line it was found on (0
// when unknown).
type Error struct {
	Line int
	Msg  string
	Err  error // the cause, when there is one (e.g. ErrTooLarge)
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("pfif: line %d: %s", e.Line, e.Msg)
	}
	return "pfif: " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// capped reads at most max bytes and fails the read after that, so an
// oversized document is refused having read max+1 bytes, never all of it.
type capped struct {
	r    io.Reader
	left int64
	over bool
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		c.over = true
		return 0, ErrTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		c.over = true
		return 0, ErrTooLarge
	}
	return n, err
}

type kind int

const (
	kindRoot kind = iota + 1
	kindPerson
	kindNote
	kindField
	kindSkip // an element of another namespace: read past, not kept
)

type frame struct {
	kind kind
	name string
	line int
	text strings.Builder
}

type parser struct {
	d       *xml.Decoder
	lim     Limits
	stack   []*frame
	persons []Person
	loose   []Note // notes at the top level, attached by person_record_id
	seen    map[string]bool
	count   int
}

// Parse reads a PFIF 1.4 document: its persons, each with its notes (notes
// given at the top level are attached to their person by
// person_record_id; notes about persons not in the document are dropped).
// It refuses, with an *Error naming the line: any DOCTYPE or other
// declaration (so no DTD, internal or external entities — encoding/xml
// would not expand them, but a document carrying them is not one we want),
// a document over lim.MaxBytes (having read only that much), nesting or
// element counts over the limits, invalid UTF-8 or XML, another PFIF
// version, a person without person_record_id or (unless it is an expiry
// notice, with expiry_date) full_name, and malformed
// dates, sexes or ages.
func Parse(r io.Reader, lim Limits) ([]Person, error) {
	lim = lim.orDefault()
	c := &capped{r: r, left: lim.MaxBytes}
	p := &parser{d: xml.NewDecoder(c), lim: lim, seen: map[string]bool{}}
	p.d.Strict = true
	// No CharsetReader: a document declaring anything but UTF-8 is refused
	// by the decoder. No Entity map: only the five predefined entities.
	if err := p.run(); err != nil {
		if c.over || errors.Is(err, ErrTooLarge) {
			return nil, &Error{Msg: fmt.Sprintf("document is larger than %d bytes", lim.MaxBytes), Err: ErrTooLarge}
		}
		return nil, err
	}
	byID := map[string]int{}
	for i := range p.persons {
		byID[p.persons[i].RecordID] = i
	}
	for _, n := range p.loose {
		if i, ok := byID[n.PersonRecordID]; ok {
			p.persons[i].Notes = append(p.persons[i].Notes, n)
		}
	}
	return p.persons, nil
}

func (p *parser) line() int {
	l, _ := p.d.InputPos()
	return l
}

func (p *parser) errf(line int, format string, args ...any) error {
	return &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) top() *frame {
	if len(p.stack) == 0 {
		return nil
	}
	return p.stack[len(p.stack)-1]
}

func (p *parser) run() error {
	sawRoot := false
	for {
		tok, err := p.d.Token()
		if err == io.EOF {
			if !sawRoot {
				return p.errf(0, "empty document: no <pfif> element")
			}
			return nil
		}
		if err != nil {
			if errors.Is(err, ErrTooLarge) {
				return err
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return p.errf(se.Line, "not well-formed XML: %s", se.Msg)
			}
			return p.errf(p.line(), "unreadable XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return p.errf(p.line(), "DOCTYPE and other <!…> declarations are refused (no DTDs or entities in PFIF imports)")
		case xml.StartElement:
			if sawRoot && len(p.stack) == 0 {
				return p.errf(p.line(), "more than one root element")
			}
			sawRoot = true
			if err := p.start(t); err != nil {
				return err
			}
		case xml.CharData:
			if f := p.top(); f != nil && f.kind == kindField {
				if f.text.Len()+len(t) > p.lim.MaxField {
					return p.errf(f.line, "<%s> is longer than %d bytes", f.name, p.lim.MaxField)
				}
				f.text.Write(t)
			}
		case xml.EndElement:
			if err := p.end(); err != nil {
				return err
			}
		}
	}
}

func (p *parser) start(t xml.StartElement) error {
	line := p.line()
	p.count++
	if p.count > p.lim.MaxElements {
		return p.errf(line, "more than %d elements", p.lim.MaxElements)
	}
	if len(p.stack) >= p.lim.MaxDepth {
		return p.errf(line, "elements nested deeper than %d levels", p.lim.MaxDepth)
	}
	ours := t.Name.Space == NS
	f := &frame{name: t.Name.Local, line: line}
	parent := p.top()
	switch {
	case parent == nil:
		if !ours || t.Name.Local != "pfif" {
			return p.errf(line, "root element is <%s> in namespace %q: want <pfif> in %q%s", t.Name.Local, t.Name.Space, NS, versionHint(t.Name.Space))
		}
		f.kind = kindRoot
	case parent.kind == kindRoot:
		switch {
		case ours && t.Name.Local == "person":
			if len(p.persons) >= p.lim.MaxPersons {
				return p.errf(line, "more than %d persons", p.lim.MaxPersons)
			}
			p.persons = append(p.persons, Person{})
			f.kind = kindPerson
		case ours && t.Name.Local == "note":
			p.loose = append(p.loose, Note{})
			f.kind = kindNote
		case ours:
			return p.errf(line, "unexpected <%s> in <pfif> (want <person> or <note>)", t.Name.Local)
		default:
			f.kind = kindSkip
		}
	case parent.kind == kindPerson && ours && t.Name.Local == "note":
		pr := &p.persons[len(p.persons)-1]
		pr.Notes = append(pr.Notes, Note{})
		f.kind = kindNote
	case parent.kind == kindPerson || parent.kind == kindNote:
		f.kind = kindSkip
		if ours {
			f.kind = kindField
		}
	case parent.kind == kindField:
		return p.errf(line, "unexpected element <%s> inside <%s> (PFIF fields hold text only)", t.Name.Local, parent.name)
	default:
		f.kind = kindSkip
	}
	p.stack = append(p.stack, f)
	return nil
}

// versionHint explains a refused PFIF version.
func versionHint(ns string) string {
	if v, ok := strings.CutPrefix(ns, "http://zesty.ca/pfif/"); ok {
		return fmt.Sprintf(" (PFIF %s is not supported: only PFIF 1.4 is imported)", v)
	}
	return ""
}

func (p *parser) end() error {
	f := p.top()
	p.stack = p.stack[:len(p.stack)-1]
	parent := p.top()
	switch f.kind {
	case kindField:
		v := strings.TrimSpace(f.text.String())
		if parent.kind == kindPerson {
			return p.personField(&p.persons[len(p.persons)-1], f, v)
		}
		return p.noteField(p.currentNote(), f, v)
	case kindPerson:
		pr := &p.persons[len(p.persons)-1]
		if err := checkPerson(pr); err != nil {
			return p.errf(f.line, "person %s", err)
		}
		if p.seen[pr.RecordID] {
			return p.errf(f.line, "person_record_id %q appears twice", pr.RecordID)
		}
		p.seen[pr.RecordID] = true
		for i := range pr.Notes {
			if pr.Notes[i].PersonRecordID == "" {
				pr.Notes[i].PersonRecordID = pr.RecordID
			}
		}
	case kindNote:
		n := p.currentNoteOf(parent)
		if n.RecordID == "" {
			return p.errf(f.line, "note without note_record_id")
		}
		if parent.kind == kindRoot && n.PersonRecordID == "" {
			return p.errf(f.line, "note %q outside a person without person_record_id", n.RecordID)
		}
	}
	return nil
}

// currentNote is the note whose field just ended: the frame below the
// field tells whether it sits in a person or at the top level.
func (p *parser) currentNote() *Note {
	// The stack now ends with the note frame; its parent decides.
	return p.currentNoteOf(p.stack[len(p.stack)-2])
}

func (p *parser) currentNoteOf(parent *frame) *Note {
	if parent.kind == kindPerson {
		pr := &p.persons[len(p.persons)-1]
		return &pr.Notes[len(pr.Notes)-1]
	}
	return &p.loose[len(p.loose)-1]
}

func checkPerson(pr *Person) error {
	switch {
	case pr.RecordID == "":
		return errors.New("without person_record_id")
	case pr.FullName == "" && pr.ExpiryDate.IsZero():
		// An expired record carries no name (PFIF 1.4's expiry rules):
		// accepted, and the importer skips it.
		return fmt.Errorf("%q without full_name", pr.RecordID)
	}
	return nil
}

// recordID checks the "domain/unique-id" form PFIF gives record ids.
func recordID(v string) error {
	dom, rest, ok := strings.Cut(v, "/")
	if !ok || dom == "" || rest == "" || strings.ContainsAny(v, " \t\r\n") {
		return fmt.Errorf("%q is not of the form domain/id", v)
	}
	return nil
}

func date(v string) (time.Time, error) {
	t, err := time.Parse(DateLayout, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a PFIF date (YYYY-MM-DDThh:mm:ssZ, UTC)", v)
	}
	return t, nil
}

func (p *parser) personField(pr *Person, f *frame, v string) error {
	var err error
	switch f.name {
	case "person_record_id":
		pr.RecordID, err = v, recordID(v)
	case "entry_date":
		pr.EntryDate, err = date(v)
	case "expiry_date":
		pr.ExpiryDate, err = date(v)
	case "source_date":
		pr.SourceDate, err = date(v)
	case "author_name":
		pr.AuthorName = v
	case "author_email":
		pr.AuthorEmail = v
	case "author_phone":
		pr.AuthorPhone = v
	case "source_name":
		pr.SourceName = v
	case "source_url":
		pr.SourceURL = v
	case "full_name":
		pr.FullName = v
	case "given_name":
		pr.GivenName = v
	case "family_name":
		pr.FamilyName = v
	case "alternate_names":
		pr.AlternateNames = v
	case "description":
		pr.Description = v
	case "sex":
		if v != "" && v != "female" && v != "male" && v != "other" {
			err = fmt.Errorf("%q is not female, male or other", v)
		}
		pr.Sex = v
	case "date_of_birth":
		pr.DateOfBirth, err = v, birth(v)
	case "age":
		pr.Age, err = v, age(v)
	case "home_street":
		pr.HomeStreet = v
	case "home_neighborhood":
		pr.HomeNeighborhood = v
	case "home_city":
		pr.HomeCity = v
	case "home_state":
		pr.HomeState = v
	case "home_postal_code":
		pr.HomePostalCode = v
	case "home_country":
		pr.HomeCountry = v
	case "photo_url":
		pr.PhotoURL = v
	case "profile_urls":
		pr.ProfileURLs = v
	}
	// Other PFIF 1.4 fields are read past: a later minor version may add
	// some, and nothing here needs them.
	if err != nil {
		return p.errf(f.line, "<%s>: %v", f.name, err)
	}
	return nil
}

func (p *parser) noteField(n *Note, f *frame, v string) error {
	var err error
	switch f.name {
	case "note_record_id":
		n.RecordID, err = v, recordID(v)
	case "person_record_id":
		n.PersonRecordID, err = v, recordID(v)
	case "linked_person_record_id":
		n.LinkedPersonRecordID = v
	case "entry_date":
		n.EntryDate, err = date(v)
	case "source_date":
		n.SourceDate, err = date(v)
	case "author_name":
		n.AuthorName = v
	case "status":
		switch v {
		case "", "information_sought", "is_note_author", "believed_alive", "believed_missing", "believed_dead":
		default:
			err = fmt.Errorf("%q is not a PFIF 1.4 note status", v)
		}
		n.Status = v
	case "author_made_contact":
		n.AuthorMadeContact = v
	case "last_known_location":
		n.LastKnownLocation = v
	case "text":
		n.Text = v
	case "photo_url":
		n.PhotoURL = v
	}
	if err != nil {
		return p.errf(f.line, "note <%s>: %v", f.name, err)
	}
	return nil
}

// birth: YYYY, YYYY-MM or YYYY-MM-DD.
func birth(v string) error {
	for _, layout := range []string{"2006", "2006-01", time.DateOnly} {
		if len(v) == len(layout) {
			if _, err := time.Parse(layout, v); err == nil {
				return nil
			}
		}
	}
	return fmt.Errorf("%q is not YYYY, YYYY-MM or YYYY-MM-DD", v)
}

// age: "N" or "N-M", whole years.
func age(v string) error {
	lo, hi, isRange := strings.Cut(v, "-")
	a, err1 := strconv.Atoi(lo)
	b, err2 := a, error(nil)
	if isRange {
		b, err2 = strconv.Atoi(hi)
	}
	if err1 != nil || err2 != nil || a < 0 || b < a || b > 150 || strings.HasPrefix(lo, "+") || strings.HasPrefix(hi, "+") {
		return fmt.Errorf("%q is not an age (N or N-M)", v)
	}
	return nil
}
