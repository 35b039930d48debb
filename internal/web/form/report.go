package form

import (
	"net/url"
	"regexp"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// ReportForm is "report a missing person" (POST /submit). Values are kept
// as typed so the form can be shown again exactly; typed values are filled
// by Validate.
type ReportForm struct {
	FullName             string
	Age                  string
	Sex                  string
	HeightCM             string
	WeightKG             string
	HairColour           string
	EyeColour            string
	Features             string
	Clothing             string
	LastSeenDate         string
	LastSeenTime         string
	LastSeenPlace        string
	Community            string
	Region               string
	Circumstances        string
	PoliceAgency         string
	PoliceFileNumber     string
	ReporterName         string
	ReporterPhone        string
	ReporterEmail        string
	ReporterRelationship string
	Consent              bool
	Honeypot             string
	PhotoCount           int

	// FirstNameOnly: the reporter asks for first-name-only publishing
	// (issue 19). FirstNameSuggested: the form was shown again with the
	// box ticked for them (under 16, see Validate), so an untick after
	// that is their answer and is kept.
	FirstNameOnly, FirstNameSuggested bool

	read *formReader
	// parsed by Validate
	age, height, weight *int
	lastSeen            time.Time
}

var ReportFieldOrder = []string{
	"full_name", "age", "sex", "height_cm", "weight_kg", "hair_colour", "eye_colour", "features", "clothing",
	"last_seen_date", "last_seen_time", "last_seen_place", "community", "region", "circumstances",
	"police_agency", "police_file_number", "photos",
	"reporter_name", "reporter_phone", "reporter_email", "reporter_relationship", "consent",
}

// NewReportForm reads the report form with messages in English.
func NewReportForm(vals url.Values, photoCount int) *ReportForm {
	return NewReportFormFor(i18n.For(i18n.English), vals, photoCount)
}

// NewReportFormFor reads the report form with messages in lz's language
// (the page's: /fr/submit answers in French).
func NewReportFormFor(lz *i18n.Localizer, vals url.Values, photoCount int) *ReportForm {
	fr := NewFormReaderFor(lz, vals)
	return &ReportForm{
		FullName:             fr.line("full_name", 200),
		Age:                  fr.line("age", 10),
		Sex:                  fr.line("sex", 20),
		HeightCM:             fr.line("height_cm", 10),
		WeightKG:             fr.line("weight_kg", 10),
		HairColour:           fr.line("hair_colour", 60),
		EyeColour:            fr.line("eye_colour", 60),
		Features:             fr.Text("features", 2000),
		Clothing:             fr.Text("clothing", 2000),
		LastSeenDate:         fr.line("last_seen_date", 10),
		LastSeenTime:         fr.line("last_seen_time", 5),
		LastSeenPlace:        fr.line("last_seen_place", 200),
		Community:            fr.line("community", 100),
		Region:               fr.line("region", 20),
		Circumstances:        fr.Text("circumstances", 5000),
		PoliceAgency:         fr.line("police_agency", 100),
		PoliceFileNumber:     fr.line("police_file_number", 50),
		ReporterName:         fr.line("reporter_name", 100),
		ReporterPhone:        fr.line("reporter_phone", 40),
		ReporterEmail:        fr.line("reporter_email", 254),
		ReporterRelationship: fr.line("reporter_relationship", 100),
		Consent:              vals.Get("consent") != "",
		FirstNameOnly:        vals.Get("first_name_only") != "",
		FirstNameSuggested:   vals.Get("first_name_suggested") != "",
		Honeypot:             vals.Get(honeypotField),
		PhotoCount:           photoCount,
		read:                 fr,
	}
}

var clockRe = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// Validate checks every field; today is the current date in the site's zone.
func (f *ReportForm) Validate(today time.Time) map[string]string {
	lz := f.read.lz
	errs := f.read.errorsWith()
	required := map[string]string{
		"full_name":          f.FullName,
		"sex":                f.Sex,
		"last_seen_date":     f.LastSeenDate,
		"last_seen_place":    f.LastSeenPlace,
		"community":          f.Community,
		"region":             f.Region,
		"circumstances":      f.Circumstances,
		"police_agency":      f.PoliceAgency,
		"police_file_number": f.PoliceFileNumber,
		"reporter_name":      f.ReporterName,
	}
	requiredMsg := map[string]string{
		"full_name":          i18n.Mark("Enter the missing person's full name."),
		"sex":                i18n.Mark("Choose the person's sex, or “Not known”."),
		"last_seen_date":     i18n.Mark("Enter the date the person was last seen."),
		"last_seen_place":    i18n.Mark("Enter where the person was last seen."),
		"community":          i18n.Mark("Enter the community (town or city)."),
		"region":             i18n.Mark("Choose the region."),
		"circumstances":      i18n.Mark("Describe the circumstances."),
		"police_agency":      i18n.Mark("Enter the police service you reported to (for example RNC or RCMP)."),
		"police_file_number": i18n.Mark("Enter the police file number. Please report to police first."),
		"reporter_name":      i18n.Mark("Enter your name."),
	}
	for name, v := range required {
		if v == "" {
			SetIfNone(errs, name, lz.T(requiredMsg[name]))
		}
	}
	f.age, f.height, f.weight = checkDescription(lz, errs, f.Age, f.HeightCM, f.WeightKG, f.Sex, f.Region)
	var msg string
	if f.LastSeenDate != "" && !f.read.has("last_seen_date") {
		if f.lastSeen, msg = parsePastDate(lz, f.LastSeenDate, today); msg != "" {
			errs["last_seen_date"] = msg
		}
	}
	if f.LastSeenTime != "" && !clockRe.MatchString(f.LastSeenTime) {
		SetIfNone(errs, "last_seen_time", lz.T("Enter the time as hours:minutes, for example 21:30."))
	}
	if f.ReporterPhone == "" && f.ReporterEmail == "" {
		SetIfNone(errs, "reporter_phone", lz.T("Give a phone number or an email address so we can reach you."))
	}
	if f.ReporterPhone != "" && !validPhone(f.ReporterPhone) {
		SetIfNone(errs, "reporter_phone", lz.T("Enter a phone number using digits, spaces, +, -, ( ) and an optional ext."))
	}
	if f.ReporterEmail != "" && !ValidEmail(f.ReporterEmail) {
		SetIfNone(errs, "reporter_email", lz.T("Enter an email address like name@example.com."))
	}
	if f.PhotoCount > kit.MaxReportPhotos {
		errs["photos"] = lz.N("Choose at most {n} photo.", "Choose at most {n} photos.", kit.MaxReportPhotos)
	}
	if !f.Consent {
		errs["consent"] = lz.T("Please confirm that you may share this information and that it has been reported to police.")
	}
	// First-name-only publishing is the default for a child under 16:
	// when the form comes back for another reason, the box is ticked for
	// the reporter (once, with a note saying so), who can untick it.
	if len(errs) > 0 && f.age != nil && *f.age < store.FirstNameOnlyUnder && !f.FirstNameOnly && !f.FirstNameSuggested {
		f.FirstNameOnly, f.FirstNameSuggested = true, true
	}
	return errs
}

// firstNameOnly is the rule for a new report: the reporter's request
// turns first-name-only publishing on at once for a person under 16; for
// anyone older (or of unknown age) the request is flagged for the
// moderator, who decides with the police.
func (f *ReportForm) firstNameOnly() bool {
	return f.FirstNameOnly && f.age != nil && *f.age < store.FirstNameOnlyUnder
}

// CaseAndContact builds the pending case and the private reporter contact;
// call only after Validate found nothing.
func (f *ReportForm) CaseAndContact() (*store.Case, store.ReporterContact) {
	c := &store.Case{
		Status:           store.StatusPending,
		FullName:         f.FullName,
		Age:              f.age,
		Sex:              f.Sex,
		HeightCM:         f.height,
		WeightKG:         f.weight,
		HairColour:       f.HairColour,
		EyeColour:        f.EyeColour,
		Features:         f.Features,
		Clothing:         f.Clothing,
		LastSeenDate:     f.lastSeen,
		LastSeenTime:     f.LastSeenTime,
		LastSeenPlace:    f.LastSeenPlace,
		Community:        f.Community,
		Region:           f.Region,
		Circumstances:    f.Circumstances,
		PoliceAgency:     f.PoliceAgency,
		PoliceFileNumber: f.PoliceFileNumber,

		FirstNameOnly:      f.firstNameOnly(),
		FirstNameRequested: f.FirstNameOnly,
	}
	return c, store.ReporterContact{
		Name:         f.ReporterName,
		Phone:        f.ReporterPhone,
		Email:        f.ReporterEmail,
		Relationship: f.ReporterRelationship,
	}
}
