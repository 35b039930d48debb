package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

//go:embed templates
var templateFS embed.FS

// Kinds of message (the outbox's kind column and the template names).
const (
	KindSubscriptionConfirm  = "subscription_confirm"
	KindCaseUpdate           = "case_update"
	KindCaseClosed           = "case_closed"
	KindAreaAlert            = "area_alert"
	KindReporterConfirmation = "reporter_confirmation"
	KindReportPublished      = "report_published"
	KindReportNotPublished   = "report_not_published"
	KindReporterCaseClosed   = "reporter_case_closed"
	KindStaffReportReview    = "staff_report_review"
	KindStaffTip             = "staff_tip"
)

// Content is the typed data of one kind of message. Subject is in the
// localizer's language.
type Content interface {
	Kind() string
	Subject(lz *i18n.Localizer) string
}

// CaseInfo is what messages about a case show: public facts only.
type CaseInfo struct {
	Name     string
	URL      string // the case page, in the reader's language
	PhotoURL string // a small photo on our site ("" for none): same URL for every reader, no tracking
	// Last seen: the date, the time ("HH:MM", may be empty) and the place
	// ("Water Street, Harbour Grace"), formatted in the reader's language.
	LastSeenDate  time.Time
	LastSeenTime  string
	LastSeenPlace string
	Agency        string
	AgencyPhone   string
}

// SubscriptionConfirm asks to confirm one or more subscriptions: the
// updates of one case (CaseName), or new cases in Regions.
type SubscriptionConfirm struct {
	CaseName   string
	Regions    []string // store.Regions or store.AllRegions
	ConfirmURL string
}

// CaseUpdate tells a follower about a new public update.
type CaseUpdate struct {
	Case   CaseInfo
	Update string
	// Original is the language Update is written in when it is not the
	// reader's (no version in theirs was written): the message says so.
	Original  i18n.Lang
	ManageURL string
}

// CaseClosed tells a follower the appeal is over: no details.
type CaseClosed struct {
	Name      string
	ManageURL string
}

// AreaAlert announces a newly published case in a subscribed region.
type AreaAlert struct {
	Case      CaseInfo
	Region    string
	ManageURL string
}

// ReporterConfirmation acknowledges a report and gives its reference.
type ReporterConfirmation struct{ Reference, StatusURL string }

// ReportPublished tells the reporter the case is public.
type ReportPublished struct{ Reference, CaseURL string }

// ReportNotPublished tells the reporter the report cannot be published.
type ReportNotPublished struct{ Reference, ContactURL string }

// ReporterCaseClosed tells the reporter the appeal has been closed.
type ReporterCaseClosed struct{ Reference string }

// StaffReportReview: a report awaits review. No personal data.
type StaffReportReview struct{ AdminURL string }

// StaffTip: a tip arrived on a case. No personal data of the tipster.
type StaffTip struct {
	CaseID   int64
	AdminURL string
}

func (SubscriptionConfirm) Kind() string { return KindSubscriptionConfirm }

// TTLHours is how long the confirmation link works, in hours.
func (SubscriptionConfirm) TTLHours() int { return int(store.ConfirmTTL.Hours()) }

func (SubscriptionConfirm) Subject(lz *i18n.Localizer) string {
	return lz.T("Please confirm your LostInNL email alerts")
}
func (CaseUpdate) Kind() string { return KindCaseUpdate }
func (c CaseUpdate) Subject(lz *i18n.Localizer) string {
	return lz.T("Update on the appeal for {name}", "name", c.Case.Name)
}
func (CaseClosed) Kind() string { return KindCaseClosed }
func (CaseClosed) Subject(lz *i18n.Localizer) string {
	return lz.T("An appeal you followed has been closed")
}
func (AreaAlert) Kind() string { return KindAreaAlert }
func (a AreaAlert) Subject(lz *i18n.Localizer) string {
	return lz.T("Missing in {region}: {name}", "region", lz.TC("region", a.Region), "name", a.Case.Name)
}
func (ReporterConfirmation) Kind() string { return KindReporterConfirmation }
func (r ReporterConfirmation) Subject(lz *i18n.Localizer) string {
	return lz.T("We received your report (reference {reference})", "reference", r.Reference)
}
func (ReportPublished) Kind() string { return KindReportPublished }
func (r ReportPublished) Subject(lz *i18n.Localizer) string {
	return lz.T("Your report {reference} is now published", "reference", r.Reference)
}
func (ReportNotPublished) Kind() string { return KindReportNotPublished }
func (r ReportNotPublished) Subject(lz *i18n.Localizer) string {
	return lz.T("About your report {reference}", "reference", r.Reference)
}
func (ReporterCaseClosed) Kind() string { return KindReporterCaseClosed }
func (r ReporterCaseClosed) Subject(lz *i18n.Localizer) string {
	return lz.T("The appeal from your report {reference} has been closed", "reference", r.Reference)
}
func (StaffReportReview) Kind() string { return KindStaffReportReview }
func (StaffReportReview) Subject(lz *i18n.Localizer) string {
	return lz.T("A report awaits review")
}
func (StaffTip) Kind() string { return KindStaffTip }
func (t StaffTip) Subject(lz *i18n.Localizer) string {
	return lz.T("A tip arrived on case #{id}", "id", strconv.FormatInt(t.CaseID, 10))
}

// Rendered is a message's subject and bodies.
type Rendered struct{ Subject, Text, HTML string }

// Templates holds every message template, parsed once per language
// (the text functions are bound to the language at parse time, as the
// web pages' are), so rendering a message costs no look-up of its
// language's set beyond a map read.
type Templates struct {
	langs map[i18n.Lang]*langTemplates
}

type langTemplates struct {
	lz   *i18n.Localizer
	text *texttemplate.Template
	html *htmltemplate.Template
}

var allKinds = []string{
	KindSubscriptionConfirm, KindCaseUpdate, KindCaseClosed, KindAreaAlert, KindReporterConfirmation,
	KindReportPublished, KindReportNotPublished, KindReporterCaseClosed, KindStaffReportReview, KindStaffTip,
}

// templateLangs are the languages mail is written in; the pseudo-locale
// is for the tests that look for text outside the catalog.
var templateLangs = []i18n.Lang{i18n.English, i18n.French, i18n.Pseudo}

// LoadTemplates parses the embedded templates and fails if any kind lacks
// its text or HTML template (at start-up, not at the first message).
func LoadTemplates() (*Templates, error) {
	if err := i18n.Check(); err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	out := &Templates{langs: map[i18n.Lang]*langTemplates{}}
	for _, l := range templateLangs {
		lt, err := loadLang(l)
		if err != nil {
			return nil, err
		}
		out.langs[l] = lt
	}
	return out, nil
}

func loadLang(l i18n.Lang) (*langTemplates, error) {
	lz := i18n.For(l)
	t, err := texttemplate.New("").Funcs(textFuncs(lz)).ParseFS(templateFS, "templates/*.txt")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	h, err := htmltemplate.New("").Funcs(htmlFuncs(lz)).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	for _, k := range allKinds {
		if t.Lookup(k+".txt") == nil || h.Lookup(k+".html") == nil {
			return nil, fmt.Errorf("mail templates: %s lacks its .txt or .html template", k)
		}
	}
	return &langTemplates{lz: lz, text: t, html: h}, nil
}

// Render renders one message in English.
func (t *Templates) Render(c Content) (Rendered, error) { return t.RenderLang(i18n.English, c) }

// RenderLang renders one message in language l (English for a language
// the site does not have). The subject is checked for line breaks here
// too (a case name reaches it), so a bad value fails the render, not the
// send.
func (t *Templates) RenderLang(l i18n.Lang, c Content) (Rendered, error) {
	lt, ok := t.langs[l]
	if !ok {
		lt = t.langs[i18n.English]
	}
	var tb, hb bytes.Buffer
	if err := lt.text.ExecuteTemplate(&tb, c.Kind()+".txt", c); err != nil {
		return Rendered{}, fmt.Errorf("render %s: %w", c.Kind(), err)
	}
	if err := lt.html.ExecuteTemplate(&hb, c.Kind()+".html", c); err != nil {
		return Rendered{}, fmt.Errorf("render %s: %w", c.Kind(), err)
	}
	subject := strings.Join(strings.Fields(c.Subject(lt.lz)), " ")
	if !headerSafe(subject) {
		return Rendered{}, fmt.Errorf("render %s: subject: %w", c.Kind(), ErrHeaderInjection)
	}
	return Rendered{Subject: subject, Text: tb.String(), HTML: hb.String()}, nil
}
