package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
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

// Content is the typed data of one kind of message.
type Content interface {
	Kind() string
	Subject() string
}

// CaseInfo is what messages about a case show: public facts only.
type CaseInfo struct {
	Name        string
	URL         string // the case page
	PhotoURL    string // a small photo on our site ("" for none): same URL for every reader, no tracking
	LastSeen    string // "14 March 2026, Water Street, Harbour Grace"
	Agency      string
	AgencyPhone string
}

// SubscriptionConfirm asks to confirm one or more subscriptions.
type SubscriptionConfirm struct {
	What       string // "updates about Jane Doe" / "new cases in Avalon and Central"
	ConfirmURL string
}

// CaseUpdate tells a follower about a new public update.
type CaseUpdate struct {
	Case      CaseInfo
	Update    string
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
func (SubscriptionConfirm) Subject() string {
	return "Please confirm your LostInNL email alerts"
}
func (CaseUpdate) Kind() string      { return KindCaseUpdate }
func (c CaseUpdate) Subject() string { return "Update on the appeal for " + c.Case.Name }
func (CaseClosed) Kind() string      { return KindCaseClosed }
func (CaseClosed) Subject() string   { return "An appeal you followed has been closed" }
func (AreaAlert) Kind() string       { return KindAreaAlert }
func (a AreaAlert) Subject() string {
	return "Missing in " + a.Region + ": " + a.Case.Name
}
func (ReporterConfirmation) Kind() string { return KindReporterConfirmation }
func (r ReporterConfirmation) Subject() string {
	return "We received your report (reference " + r.Reference + ")"
}
func (ReportPublished) Kind() string { return KindReportPublished }
func (r ReportPublished) Subject() string {
	return "Your report " + r.Reference + " is now published"
}
func (ReportNotPublished) Kind() string { return KindReportNotPublished }
func (r ReportNotPublished) Subject() string {
	return "About your report " + r.Reference
}
func (ReporterCaseClosed) Kind() string { return KindReporterCaseClosed }
func (r ReporterCaseClosed) Subject() string {
	return "The appeal from your report " + r.Reference + " has been closed"
}
func (StaffReportReview) Kind() string    { return KindStaffReportReview }
func (StaffReportReview) Subject() string { return "A report awaits review" }
func (StaffTip) Kind() string             { return KindStaffTip }
func (t StaffTip) Subject() string        { return fmt.Sprintf("A tip arrived on case #%d", t.CaseID) }

// Rendered is a message's subject and bodies.
type Rendered struct{ Subject, Text, HTML string }

// Templates holds every message template, parsed once.
type Templates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

var allKinds = []string{
	KindSubscriptionConfirm, KindCaseUpdate, KindCaseClosed, KindAreaAlert, KindReporterConfirmation,
	KindReportPublished, KindReportNotPublished, KindReporterCaseClosed, KindStaffReportReview, KindStaffTip,
}

// LoadTemplates parses the embedded templates and fails if any kind lacks
// its text or HTML template (at start-up, not at the first message).
func LoadTemplates() (*Templates, error) {
	t, err := texttemplate.ParseFS(templateFS, "templates/*.txt")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	h, err := htmltemplate.ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	for _, k := range allKinds {
		if t.Lookup(k+".txt") == nil || h.Lookup(k+".html") == nil {
			return nil, fmt.Errorf("mail templates: %s lacks its .txt or .html template", k)
		}
	}
	return &Templates{text: t, html: h}, nil
}

// Render renders one message. The subject is checked for line breaks
// here too (a case name reaches it), so a bad value fails the render,
// not the send.
func (t *Templates) Render(c Content) (Rendered, error) {
	var tb, hb bytes.Buffer
	if err := t.text.ExecuteTemplate(&tb, c.Kind()+".txt", c); err != nil {
		return Rendered{}, fmt.Errorf("render %s: %w", c.Kind(), err)
	}
	if err := t.html.ExecuteTemplate(&hb, c.Kind()+".html", c); err != nil {
		return Rendered{}, fmt.Errorf("render %s: %w", c.Kind(), err)
	}
	subject := strings.Join(strings.Fields(c.Subject()), " ")
	if !headerSafe(subject) {
		return Rendered{}, fmt.Errorf("render %s: subject: %w", c.Kind(), ErrHeaderInjection)
	}
	return Rendered{Subject: subject, Text: tb.String(), HTML: hb.String()}, nil
}
