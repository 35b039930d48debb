package mail

import (
	"strings"
	"testing"
	"time"
)

func TestRenderEveryKind(t *testing.T) {
	tpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	info := CaseInfo{Name: "Jane <b>Doe</b>", URL: "https://lostinnl.test/cases/7", PhotoURL: "https://lostinnl.test/media/abc_320.jpg",
		LastSeenDate: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), LastSeenPlace: "Water Street", Agency: "RNC", AgencyPhone: "709-555-0100"}
	manage := "https://lostinnl.test/alerts/unsubscribe?token=tok"
	for _, tc := range []struct {
		c          Content
		subject    string
		text, html []string
		notInText  []string
	}{
		{SubscriptionConfirm{CaseName: "Jane", ConfirmURL: "https://lostinnl.test/alerts/confirm?token=T"}, "Please confirm your LostInNL email alerts",
			[]string{"https://lostinnl.test/alerts/confirm?token=T", "48 hours"}, []string{`href="https://lostinnl.test/alerts/confirm?token=T"`}, nil},
		{CaseUpdate{Case: info, Update: "Search resumes at 6 a.m.", ManageURL: manage}, "Update on the appeal for Jane <b>Doe</b>",
			[]string{"Search resumes at 6 a.m.", "Last seen: 14 March 2026, Water Street", "709-555-0100", manage, "https://lostinnl.test/cases/7"},
			[]string{"Jane &lt;b&gt;Doe&lt;/b&gt;", `src="https://lostinnl.test/media/abc_320.jpg"`, `href="https://lostinnl.test/alerts/unsubscribe?token=tok"`}, nil},
		{CaseClosed{Name: "Jane Doe", ManageURL: manage}, "An appeal you followed has been closed",
			[]string{"This appeal has been closed", "Thank you for sharing it."}[1:], []string{"has been closed. Thank you for sharing it."}, []string{"Last seen", "709-555-0100"}},
		{AreaAlert{Case: info, Region: "Avalon", ManageURL: manage}, "Missing in Avalon: Jane <b>Doe</b>",
			[]string{"Avalon region", "https://lostinnl.test/cases/7"}, []string{"Avalon region"}, nil},
		{ReporterConfirmation{Reference: "LNL-7K2Q"}, "We received your report (reference LNL-7K2Q)", []string{"LNL-7K2Q", "911"}, []string{"LNL-7K2Q"}, nil},
		{ReportPublished{Reference: "LNL-7K2Q", CaseURL: "https://lostinnl.test/cases/7"}, "Your report LNL-7K2Q is now published", []string{"https://lostinnl.test/cases/7"}, nil, nil},
		{ReportNotPublished{Reference: "LNL-7K2Q", ContactURL: "https://lostinnl.test/contact"}, "About your report LNL-7K2Q", []string{"cannot be published", "https://lostinnl.test/contact"}, nil, nil},
		{ReporterCaseClosed{Reference: "LNL-7K2Q"}, "The appeal from your report LNL-7K2Q has been closed", []string{"has been closed"}, nil, nil},
		{StaffReportReview{AdminURL: "https://lostinnl.test/admin/reports"}, "A report awaits review", []string{"https://lostinnl.test/admin/reports"}, nil, nil},
		{StaffTip{CaseID: 7, AdminURL: "https://lostinnl.test/admin/tips"}, "A tip arrived on case #7", []string{"case #7", "https://lostinnl.test/admin/tips"}, nil, nil},
	} {
		r, err := tpl.Render(tc.c)
		if err != nil {
			t.Fatalf("%s: %v", tc.c.Kind(), err)
		}
		if r.Subject != tc.subject {
			t.Errorf("%s: subject %q, want %q", tc.c.Kind(), r.Subject, tc.subject)
		}
		for _, s := range tc.text {
			if !strings.Contains(r.Text, s) {
				t.Errorf("%s: text lacks %q:\n%s", tc.c.Kind(), s, r.Text)
			}
		}
		for _, s := range tc.html {
			if !strings.Contains(r.HTML, s) {
				t.Errorf("%s: HTML lacks %q:\n%s", tc.c.Kind(), s, r.HTML)
			}
		}
		for _, s := range tc.notInText {
			if strings.Contains(r.Text, s) {
				t.Errorf("%s: text has %q", tc.c.Kind(), s)
			}
		}
		if strings.Contains(r.HTML, "<b>Doe</b>") {
			t.Errorf("%s: case name not escaped in HTML", tc.c.Kind())
		}
		if !strings.Contains(r.HTML, "<html") || !strings.Contains(r.HTML, "</html>") {
			t.Errorf("%s: HTML not a whole document", tc.c.Kind())
		}
	}
}

// TestRenderRefusesLineBreakInSubject: a case name with a line break
// cannot reach the Subject header.
func TestRenderRefusesLineBreakInSubject(t *testing.T) {
	tpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	r, err := tpl.Render(AreaAlert{Case: CaseInfo{Name: "Jane\r\nBcc: victim@example.org"}, Region: "Avalon"})
	// Runs of white space (line breaks included) fold to one space.
	if err != nil || r.Subject != "Missing in Avalon: Jane Bcc: victim@example.org" {
		t.Fatalf("subject %q, %v", r.Subject, err)
	}
	if _, err := tpl.Render(AreaAlert{Case: CaseInfo{Name: "Jane\x00"}, Region: "Avalon"}); err == nil {
		t.Fatal("NUL in a subject rendered")
	}
}
