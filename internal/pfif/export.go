package pfif

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/feed"
	"lostinnl/internal/store"
)

// ExportOptions say who we are and when records expire.
type ExportOptions struct {
	Domain   string // our record-id domain, e.g. "lostinnl.ca"
	SiteName string // author_name and source_name
	BaseURL  string // absolute, no trailing slash
	// Expiry is a case's retention date: when partners must delete it.
	Expiry func(c *store.Case) time.Time
	// PhotoURL is the absolute URL of a photo's public variant; nil or
	// "" leaves photo_url out.
	PhotoURL func(p *store.Photo) string
	// Now stamps expired records whose case gives no closing time.
	Now time.Time
}

// The person element in PFIF 1.4's field order.
type xmlPerson struct {
	XMLName        xml.Name `xml:"person"`
	RecordID       string   `xml:"person_record_id"`
	EntryDate      string   `xml:"entry_date"`
	ExpiryDate     string   `xml:"expiry_date,omitempty"`
	AuthorName     string   `xml:"author_name,omitempty"`
	SourceName     string   `xml:"source_name,omitempty"`
	SourceDate     string   `xml:"source_date"`
	SourceURL      string   `xml:"source_url,omitempty"`
	FullName       string   `xml:"full_name,omitempty"`
	GivenName      string   `xml:"given_name,omitempty"`
	FamilyName     string   `xml:"family_name,omitempty"`
	AlternateNames string   `xml:"alternate_names,omitempty"`
	Description    string   `xml:"description,omitempty"`
	Sex            string   `xml:"sex,omitempty"`
	Age            string   `xml:"age,omitempty"`
	HomeCity       string   `xml:"home_city,omitempty"`
	HomeState      string   `xml:"home_state,omitempty"`
	HomeCountry    string   `xml:"home_country,omitempty"`
	PhotoURL       string   `xml:"photo_url,omitempty"`
	ProfileURLs    string   `xml:"profile_urls,omitempty"`
}

type xmlDoc struct {
	XMLName xml.Name    `xml:"pfif"`
	NS      string      `xml:"xmlns,attr"`
	Persons []xmlPerson `xml:"person"`
}

// RecordID is a case's person_record_id: "<domain>/case.<id>".
func RecordID(domain string, id int64) string {
	return domain + "/case." + strconv.FormatInt(id, 10)
}

// Export writes cases as a PFIF 1.4 document. Missing cases become full
// person records with public fields only (as the public case page shows
// them: never the reporter's contact, the reject reason, coordinates or
// the birth date). Any other status becomes an expired record: id, dates
// and an expiry_date in the past, every other field blank, which PFIF 1.4
// tells partners to act on by deleting their copy. Pass the cases closed
// within the retention window too, so partners hear of the closing.
func Export(w io.Writer, cases []store.Case, o ExportOptions) error {
	if o.Domain == "" || o.BaseURL == "" || o.SiteName == "" || o.Expiry == nil {
		return fmt.Errorf("pfif: export: domain, base URL, site name and expiry are required")
	}
	doc := xmlDoc{NS: NS, Persons: make([]xmlPerson, 0, len(cases))}
	for i := range cases {
		c := &cases[i]
		if c.Status == store.StatusMissing {
			doc.Persons = append(doc.Persons, person(c, o))
		} else {
			doc.Persons = append(doc.Persons, expired(c, o))
		}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("pfif: export: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("pfif: export: %w", err)
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(DateLayout) }

func caseURL(o ExportOptions, id int64) string {
	return o.BaseURL + "/cases/" + strconv.FormatInt(id, 10)
}

func person(c *store.Case, o ExportOptions) xmlPerson {
	cl := feed.Clean
	x := xmlPerson{
		RecordID:       RecordID(o.Domain, c.ID),
		EntryDate:      stamp(c.UpdatedAt),
		AuthorName:     cl(o.SiteName),
		SourceName:     cl(o.SiteName),
		SourceDate:     stamp(c.UpdatedAt),
		SourceURL:      caseURL(o, c.ID),
		FullName:       cl(c.FullName),
		AlternateNames: cl(c.Aliases),
		Description:    cl(description(c)),
		ProfileURLs:    caseURL(o, c.ID),
	}
	// An open case may have no retention date yet (the clock starts when
	// it closes): then no expiry_date, which PFIF reads as "keep".
	if e := o.Expiry(c); !e.IsZero() {
		x.ExpiryDate = stamp(e)
	}
	// Only a plain "Given Family" name splits without guessing; anything
	// else (particles, one word, three words) stays in full_name alone.
	// A first-name-only case (its FullName already the short public
	// name, see store.Case.ForPublic) gives its first name only: an
	// initial is not a family name.
	if f := strings.Fields(x.FullName); c.FirstNameOnly && len(f) > 0 {
		x.GivenName = f[0]
	} else if len(f) == 2 {
		x.GivenName, x.FamilyName = f[0], f[1]
	}
	if c.Sex == "female" || c.Sex == "male" || c.Sex == "other" {
		x.Sex = c.Sex
	}
	if a := publicAge(c); a != nil && !c.PersonalWithdrawn {
		x.Age = strconv.Itoa(*a)
	}
	// The case page shows the community and region; the province is the
	// site's whole area.
	if c.Community != "" {
		x.HomeCity, x.HomeState, x.HomeCountry = cl(c.Community), "NL", "CA"
	}
	if c.PrimaryPhoto != nil && o.PhotoURL != nil && !c.PersonalWithdrawn {
		x.PhotoURL = o.PhotoURL(c.PrimaryPhoto)
	}
	return x
}

func expired(c *store.Case, o ExportOptions) xmlPerson {
	closed := c.UpdatedAt
	if c.LocatedAt != nil {
		closed = *c.LocatedAt
	}
	if closed.IsZero() {
		closed = o.Now
	}
	return xmlPerson{
		RecordID:   RecordID(o.Domain, c.ID),
		EntryDate:  stamp(c.UpdatedAt),
		ExpiryDate: stamp(closed),
		SourceDate: stamp(c.UpdatedAt),
	}
}

func publicAge(c *store.Case) *int {
	if n, ok := c.AgeWhenLastSeen(); ok {
		return &n
	}
	return nil
}

// description is the case page's public text in one paragraph per topic.
func description(c *store.Case) string {
	var b strings.Builder
	line := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", label, v)
		}
	}
	seen := c.LastSeenDate.Format(time.DateOnly)
	if c.LastSeenTime != "" {
		seen += " " + c.LastSeenTime
	}
	line("Last seen", seen)
	line("Place last seen", strings.Join(nonEmpty(c.LastSeenPlace, c.Community, c.Region), ", "))
	if c.PersonalWithdrawn {
		// The page then shows name, dates and place only.
		return strings.TrimRight(b.String(), "\n")
	}
	if c.HeightCM != nil {
		line("Height", strconv.Itoa(*c.HeightCM)+" cm")
	}
	if c.WeightKG != nil {
		line("Weight", strconv.Itoa(*c.WeightKG)+" kg")
	}
	line("Build", c.Build)
	line("Hair", c.HairColour)
	line("Eyes", c.EyeColour)
	line("Distinguishing features", c.Features)
	line("Clothing", c.Clothing)
	line("Circumstances", c.Circumstances)
	// The version in the other language (issue 18) goes along, named by
	// its language: PFIF has one description per person.
	if c.ContentLang == store.ContentFrench {
		line("Circumstances (English)", c.CircumstancesAlt)
	} else {
		line("Circumstances (French)", c.CircumstancesAlt)
	}
	if c.PoliceAgency != "" {
		police := c.PoliceAgency
		if c.PolicePhone != "" {
			police += ", " + c.PolicePhone
		}
		if c.PoliceFileNumber != "" {
			police += ", file " + c.PoliceFileNumber
		}
		line("Police", police)
	}
	line("If you have seen this person", "call 911")
	return strings.TrimRight(b.String(), "\n")
}

func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Where the web layer serves exports, and as what.
const (
	PersonsPath = "/pfif/1.4/persons.xml"
	ContentType = "application/xml; charset=utf-8"
)

// CasePath is one case's export (a document with one person).
func CasePath(id int64) string { return "/pfif/1.4/persons/" + strconv.FormatInt(id, 10) + ".xml" }
