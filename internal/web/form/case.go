package form

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/geo"
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// AdminCaseForm is every editable field of a case, for staff (create, edit,
// and the review page of a report). Only the fields listed here are read
// from a post: status, ids, timestamps and anything else a tampered form
// adds are ignored (mass assignment).
type AdminCaseForm struct {
	FullName, Aliases, Age, BirthDate, Sex, HeightCM, WeightKG, Build string
	HairColour, EyeColour, Features, Clothing                         string
	LastSeenDate, LastSeenTime, LastSeenPlace, Community, Region      string
	Latitude, Longitude, Circumstances                                string
	PoliceAgency, PoliceFileNumber, PolicePhone, PoliceVerified       string // PoliceVerified: "yes" or ""
	ReporterName, ReporterPhone, ReporterEmail, ReporterRelationship  string
	// FirstNameOnly: "yes" or "" (first-name-only publishing, issue 19).
	FirstNameOnly string
	// ContentLang is the language the case is written in (store.ContentEnglish
	// or store.ContentFrench; "" when the post did not say, which leaves the
	// case's as it is); CircumstancesAlt the circumstances in the other
	// language, optional (issue 18).
	ContentLang, CircumstancesAlt string
	// ContactWas is the reporter contact as the edit form showed it (its
	// hidden reporter_*_was fields), so a save can tell which contact
	// fields the moderator changed without opening the sealed ones. Nil
	// when the form showed no stored contact (the create form, or a post
	// without the fields).
	ContactWas *store.ReporterContact
	// carried names the contact fields present in the post.
	carried map[string]bool

	read *formReader
	// parsed by Validate
	age, height, weight *int
	birth               *time.Time
	lastSeen            time.Time
	lat, lng            *float64
}

var AdminCaseFieldOrder = []string{
	"full_name", "aliases", "age", "birth_date", "sex", "height_cm", "weight_kg", "build", "hair_colour", "eye_colour",
	"features", "clothing", "last_seen_date", "last_seen_time", "last_seen_place", "community", "region",
	"latitude", "longitude", "circumstances", "content_lang", "circumstances_alt", "police_agency", "police_file_number", "police_phone", "police_verified",
	"reporter_name", "reporter_phone", "reporter_email", "reporter_relationship",
}

// NewAdminCaseForm reads the form with messages in English.
func NewAdminCaseForm(vals url.Values) *AdminCaseForm {
	return NewAdminCaseFormFor(i18n.For(i18n.English), vals)
}

// NewAdminCaseFormFor reads the form with messages in lz's language (the
// staff member's, once the admin area has one).
func NewAdminCaseFormFor(lz *i18n.Localizer, vals url.Values) *AdminCaseForm {
	fr := NewFormReaderFor(lz, vals)
	f := &AdminCaseForm{
		FullName:             fr.line("full_name", 200),
		Aliases:              fr.line("aliases", 500),
		Age:                  fr.line("age", 10),
		BirthDate:            fr.line("birth_date", 10),
		Sex:                  fr.line("sex", 20),
		HeightCM:             fr.line("height_cm", 10),
		WeightKG:             fr.line("weight_kg", 10),
		Build:                fr.line("build", 100),
		HairColour:           fr.line("hair_colour", 100),
		EyeColour:            fr.line("eye_colour", 100),
		Features:             fr.Text("features", 5000),
		Clothing:             fr.Text("clothing", 5000),
		LastSeenDate:         fr.line("last_seen_date", 10),
		LastSeenTime:         fr.line("last_seen_time", 5),
		LastSeenPlace:        fr.line("last_seen_place", 200),
		Community:            fr.line("community", 200),
		Region:               fr.line("region", 20),
		Latitude:             fr.line("latitude", 20),
		Longitude:            fr.line("longitude", 20),
		Circumstances:        fr.Text("circumstances", 10000),
		ContentLang:          fr.line("content_lang", 10),
		CircumstancesAlt:     fr.Text("circumstances_alt", 10000),
		PoliceAgency:         fr.line("police_agency", 100),
		PoliceFileNumber:     fr.line("police_file_number", 100),
		PolicePhone:          fr.line("police_phone", 40),
		ReporterName:         fr.line("reporter_name", 100),
		ReporterPhone:        fr.line("reporter_phone", 40),
		ReporterEmail:        fr.line("reporter_email", 254),
		ReporterRelationship: fr.line("reporter_relationship", 100),
		read:                 fr,
	}
	if vals.Get("police_verified") != "" {
		f.PoliceVerified = "yes"
	}
	if vals.Get("first_name_only") != "" {
		f.FirstNameOnly = "yes"
	}
	f.carried = map[string]bool{}
	for _, name := range []string{"reporter_name", "reporter_phone", "reporter_email", "reporter_relationship"} {
		f.carried[name] = vals.Has(name)
	}
	if vals.Get("reporter_was") != "" {
		// Cleaned as the typed fields are, so an unchanged field compares
		// equal; never validated or stored, only compared and echoed back.
		was := func(name string) string { return CleanText(vals.Get(name), false) }
		f.ContactWas = &store.ReporterContact{
			Name: was("reporter_name_was"), Phone: was("reporter_phone_was"),
			Email: was("reporter_email_was"), Relationship: was("reporter_relationship_was"),
		}
	}
	return f
}

// AdminCaseFormFrom fills the form from a stored case and its opened
// reporter contact (for the edit page).
func AdminCaseFormFrom(c *store.Case, contact store.ReporterContact) *AdminCaseForm {
	f := &AdminCaseForm{
		FullName: c.FullName, Aliases: c.Aliases, Sex: c.Sex, Build: c.Build,
		HairColour: c.HairColour, EyeColour: c.EyeColour, Features: c.Features, Clothing: c.Clothing,
		LastSeenTime: c.LastSeenTime, LastSeenPlace: c.LastSeenPlace, Community: c.Community, Region: c.Region,
		Circumstances: c.Circumstances, PoliceAgency: c.PoliceAgency, PoliceFileNumber: c.PoliceFileNumber,
		PolicePhone: c.PolicePhone, ReporterName: contact.Name, ReporterPhone: contact.Phone,
		ReporterEmail: contact.Email, ReporterRelationship: contact.Relationship,
		ContactWas:  &contact,
		ContentLang: c.ContentLang, CircumstancesAlt: c.CircumstancesAlt,
	}
	itoa := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	ftoa := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	f.Age, f.HeightCM, f.WeightKG = itoa(c.Age), itoa(c.HeightCM), itoa(c.WeightKG)
	f.Latitude, f.Longitude = ftoa(c.Latitude), ftoa(c.Longitude)
	if c.BirthDate != nil {
		f.BirthDate = c.BirthDate.Format(time.DateOnly)
	}
	if !c.LastSeenDate.IsZero() {
		f.LastSeenDate = c.LastSeenDate.Format(time.DateOnly)
	}
	if c.PoliceVerified {
		f.PoliceVerified = "yes"
	}
	if c.FirstNameOnly {
		f.FirstNameOnly = "yes"
	}
	return f
}

// Validate checks every field; today is the current date in the site's zone.
func (f *AdminCaseForm) Validate(today time.Time) map[string]string {
	lz := f.read.lz
	errs := f.read.errorsWith()
	for name, v := range map[string]string{
		"full_name": f.FullName, "sex": f.Sex, "last_seen_date": f.LastSeenDate, "last_seen_place": f.LastSeenPlace,
		"community": f.Community, "region": f.Region,
	} {
		if v == "" {
			SetIfNone(errs, name, lz.T("This is required."))
		}
	}
	f.age, f.height, f.weight = checkDescription(lz, errs, f.Age, f.HeightCM, f.WeightKG, f.Sex, f.Region)
	var msg string
	if f.LastSeenDate != "" && !f.read.has("last_seen_date") {
		if f.lastSeen, msg = parsePastDate(lz, f.LastSeenDate, today); msg != "" {
			errs["last_seen_date"] = msg
		}
	}
	if f.BirthDate != "" && !f.read.has("birth_date") {
		d, msg := parsePastDate(lz, f.BirthDate, today)
		if msg != "" {
			errs["birth_date"] = msg
		} else {
			f.birth = &d
		}
	}
	if f.LastSeenTime != "" && !clockRe.MatchString(f.LastSeenTime) {
		SetIfNone(errs, "last_seen_time", lz.T("Enter the time as hours:minutes, for example 21:30."))
	}
	f.lat = parseCoord(lz, f.Latitude, geo.MinLat, geo.MaxLat, "latitude", errs)
	f.lng = parseCoord(lz, f.Longitude, geo.MinLng, geo.MaxLng, "longitude", errs)
	if (f.lat == nil) != (f.lng == nil) && !f.read.has("latitude") && !f.read.has("longitude") && errs["latitude"] == "" && errs["longitude"] == "" {
		SetIfNone(errs, "latitude", lz.T("Give both latitude and longitude, or neither."))
	}
	for _, p := range []struct{ name, v string }{{"police_phone", f.PolicePhone}, {"reporter_phone", f.ReporterPhone}} {
		if p.v != "" && p.v != kit.Unreadable && !validPhone(p.v) {
			SetIfNone(errs, p.name, lz.T("Enter a phone number using digits, spaces, +, -, ( ) and an optional ext."))
		}
	}
	if !store.ValidContentLang(f.ContentLang) && !f.read.has("content_lang") {
		SetIfNone(errs, "content_lang", i18n.Mark("Choose English or French."))
	}
	if f.ReporterEmail != "" && f.ReporterEmail != kit.Unreadable && !ValidEmail(f.ReporterEmail) {
		SetIfNone(errs, "reporter_email", lz.T("Enter an email address like name@example.com."))
	}
	return errs
}

// parseCoord parses an optional decimal degree inside Newfoundland and
// Labrador's bounding box (with margin), so a swapped sign is caught.
func parseCoord(lz *i18n.Localizer, s string, lo, hi float64, what string, errs map[string]string) *float64 {
	if s == "" {
		return nil
	}
	// One sentence per coordinate, so a translation need not fit a word
	// into a frame.
	notNumber, outside := lz.T("Enter the latitude as a decimal number, for example 47.5615 or -52.7126."), lz.T("That latitude is outside Newfoundland and Labrador.")
	if what == "longitude" {
		notNumber, outside = lz.T("Enter the longitude as a decimal number, for example 47.5615 or -52.7126."), lz.T("That longitude is outside Newfoundland and Labrador.")
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		SetIfNone(errs, what, notNumber)
		return nil
	}
	if v < lo || v > hi {
		SetIfNone(errs, what, outside)
		return nil
	}
	return &v
}

// Apply copies the validated fields onto c; status, ids, sealed columns and
// the lifecycle fields stay as they are.
func (f *AdminCaseForm) Apply(c *store.Case) {
	c.FullName, c.Aliases = f.FullName, f.Aliases
	c.Age, c.BirthDate, c.Sex = f.age, f.birth, f.Sex
	c.HeightCM, c.WeightKG, c.Build = f.height, f.weight, f.Build
	c.HairColour, c.EyeColour, c.Features, c.Clothing = f.HairColour, f.EyeColour, f.Features, f.Clothing
	c.LastSeenDate, c.LastSeenTime, c.LastSeenPlace = f.lastSeen, f.LastSeenTime, f.LastSeenPlace
	c.Community, c.Region, c.Latitude, c.Longitude = f.Community, f.Region, f.lat, f.lng
	c.Circumstances, c.CircumstancesAlt = f.Circumstances, f.CircumstancesAlt
	if f.ContentLang != "" {
		c.ContentLang = f.ContentLang
	}
	c.PoliceAgency, c.PoliceFileNumber, c.PolicePhone = f.PoliceAgency, f.PoliceFileNumber, f.PolicePhone
	c.PoliceVerified = f.PoliceVerified != ""
	c.FirstNameOnly = f.FirstNameOnly != ""
}

// Contact is the reporter contact as typed.
func (f *AdminCaseForm) Contact() store.ReporterContact {
	return store.ReporterContact{Name: f.ReporterName, Phone: f.ReporterPhone, Email: f.ReporterEmail, Relationship: f.ReporterRelationship}
}

// ChangedFields names the case fields that differ (for the audit summary:
// field names only, never values, which are personal data).
func ChangedFields(before, after *store.Case) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	ip := func(a, b *int) bool { return (a == nil) != (b == nil) || (a != nil && *a != *b) }
	fp := func(a, b *float64) bool { return (a == nil) != (b == nil) || (a != nil && *a != *b) }
	tp := func(a, b *time.Time) bool { return (a == nil) != (b == nil) || (a != nil && !a.Equal(*b)) }
	add("full name", before.FullName != after.FullName)
	add("aliases", before.Aliases != after.Aliases)
	add("age", ip(before.Age, after.Age))
	add("birth date", tp(before.BirthDate, after.BirthDate))
	add("sex", before.Sex != after.Sex)
	add("height", ip(before.HeightCM, after.HeightCM))
	add("weight", ip(before.WeightKG, after.WeightKG))
	add("build", before.Build != after.Build)
	add("hair colour", before.HairColour != after.HairColour)
	add("eye colour", before.EyeColour != after.EyeColour)
	add("features", before.Features != after.Features)
	add("clothing", before.Clothing != after.Clothing)
	add("last seen date", !before.LastSeenDate.Equal(after.LastSeenDate))
	add("last seen time", before.LastSeenTime != after.LastSeenTime)
	add("last seen place", before.LastSeenPlace != after.LastSeenPlace)
	add("community", before.Community != after.Community)
	add("region", before.Region != after.Region)
	add("coordinates", fp(before.Latitude, after.Latitude) || fp(before.Longitude, after.Longitude))
	add("circumstances", before.Circumstances != after.Circumstances)
	add("content language", contentLangOf(before) != contentLangOf(after))
	add("circumstances in the other language", before.CircumstancesAlt != after.CircumstancesAlt)
	add("police agency", before.PoliceAgency != after.PoliceAgency)
	add("police file number", before.PoliceFileNumber != after.PoliceFileNumber)
	add("police phone", before.PolicePhone != after.PolicePhone)
	add("verified with police", before.PoliceVerified != after.PoliceVerified)
	// On or off is named: which way the public name went matters when
	// reading the log, and it is no personal data.
	add("first-name-only publishing "+map[bool]string{true: "on", false: "off"}[after.FirstNameOnly], before.FirstNameOnly != after.FirstNameOnly)
	return out
}

// contentLangOf is c's content language, "" read as English (the
// column's default), so a case created before issue 18 does not show a
// language change on its first save.
func contentLangOf(c *store.Case) string {
	if c.ContentLang == "" {
		return store.ContentEnglish
	}
	return c.ContentLang
}

// ContentLangField is the "Language the case is written in" select of the
// case form, labelled in the page's language (lang: "en" or "fr", the
// templates' lang).
func (f *AdminCaseForm) ContentLangField(errs map[string]string, label, hint string) kit.Field {
	return kit.ContentLangField(f.ContentLang, errs, label, hint)
}

// ContactEdit is what the save changes in the reporter contact, decided
// without opening the stored contact: a field typed differently from what
// the form showed (ContactWas) is replaced; without ContactWas, every
// contact field the post carries is. The placeholder of an unreadable
// field is never written back: that would destroy a sealed value that may
// still be recoverable (with the old key), so such a field is left as it
// is unless something else was typed into it.
func (f *AdminCaseForm) ContactEdit() store.ContactEdit {
	var e store.ContactEdit
	for _, c := range []struct {
		name       string
		typed, was string
		dst        **string
	}{
		{"reporter_name", f.ReporterName, wasOf(f.ContactWas).Name, &e.Name},
		{"reporter_phone", f.ReporterPhone, wasOf(f.ContactWas).Phone, &e.Phone},
		{"reporter_email", f.ReporterEmail, wasOf(f.ContactWas).Email, &e.Email},
		{"reporter_relationship", f.ReporterRelationship, wasOf(f.ContactWas).Relationship, &e.Relationship},
	} {
		switch {
		case c.typed == kit.Unreadable:
		case f.ContactWas != nil && c.typed == c.was:
		case f.ContactWas == nil && !f.carried[c.name]:
		default:
			v := c.typed
			*c.dst = &v
		}
	}
	return e
}

func wasOf(c *store.ReporterContact) store.ReporterContact {
	if c == nil {
		return store.ReporterContact{}
	}
	return *c
}
