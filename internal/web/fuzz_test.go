package web

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"lostinnl/internal/mail"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// FuzzParseCaseQuery: any query string gives a usable store query (never
// a panic) whose values are all valid; problems are plain sentences.
func FuzzParseCaseQuery(f *testing.F) {
	for _, s := range []string{"", "q=a&status=all", "age_min=5&age_max=3", "since=2026-02-30", "page=-1", "q=%FF", "sort=name&region=labrador", "status=pending"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, fl, problems := form.ParseCaseQuery(vals)
		if !utf8.ValidString(q.Q) || utf8.RuneCountInString(q.Q) > form.MaxQueryLen {
			t.Fatalf("bad Q %q", q.Q)
		}
		if len(q.Statuses) == 0 {
			t.Fatal("no statuses")
		}
		for _, s := range q.Statuses {
			if !s.Public() {
				t.Fatalf("non-public status %q reachable", s)
			}
		}
		if q.Region != "" && !form.InList(q.Region, store.Regions) || q.Sex != "" && !form.InList(q.Sex, store.Sexes) {
			t.Fatalf("bad region/sex %q %q", q.Region, q.Sex)
		}
		if q.AgeMin != nil && q.AgeMax != nil && *q.AgeMin > *q.AgeMax {
			t.Fatal("age range inverted")
		}
		if q.Page < 1 || q.Page > kit.MaxPage {
			t.Fatalf("page %d", q.Page)
		}
		if !strings.HasPrefix(fl.PageURL(fl.Page), "/cases") {
			t.Fatal("page URL")
		}
		for _, p := range problems {
			if !utf8.ValidString(p) {
				t.Fatal("problem text not UTF-8")
			}
		}
	})
}

// FuzzForms: hostile values never panic, and a form that validates has
// only clean, bounded, valid UTF-8 text.
func FuzzForms(f *testing.F) {
	f.Add("message", "hi", "a@example.com", "709-555-0100", "2026-01-01")
	f.Add("\xff", "\x00", "<script>", "+++", "9999-99-99")
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, a, b, email, phone, date string) {
		tip := form.NewTipForm(url.Values{"message": {a}, "seen_at": {date}, "seen_location": {b}, "email": {email}, "phone": {phone}})
		if errs := tip.Validate(today); len(errs) == 0 {
			for _, v := range []string{tip.Message, tip.SeenAt, tip.SeenLocation, tip.Email, tip.Phone} {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("valid tip with bad text %q", v)
				}
			}
			if tip.Message == "" || utf8.RuneCountInString(tip.Message) > 5000 {
				t.Fatal("message bounds")
			}
		}
		rep := form.NewReportForm(url.Values{
			"full_name": {a}, "age": {b}, "sex": {"female"}, "last_seen_date": {date}, "last_seen_place": {a},
			"community": {b}, "region": {"Avalon"}, "circumstances": {a}, "police_agency": {b}, "police_file_number": {a},
			"reporter_name": {a}, "reporter_email": {email}, "reporter_phone": {phone}, "consent": {"yes"},
		}, 0)
		if errs := rep.Validate(today); len(errs) == 0 {
			c, _ := rep.CaseAndContact()
			if c.LastSeenDate.After(today) || c.Age != nil && (*c.Age < 0 || *c.Age > 120) || !utf8.ValidString(c.FullName) {
				t.Fatalf("valid report with bad values %+v", c)
			}
		}
		con := form.NewContactForm(url.Values{"name": {a}, "email": {email}, "subject": {b}, "message": {a}})
		if errs := con.Validate(); len(errs) == 0 && !form.ValidEmail(con.Email) {
			t.Fatal("contact accepted a bad email")
		}
	})
}

// FuzzAlertsForm: an address and regions the alert forms accept are ones
// internal/mail can index and mail without a header break, and regions of
// the contract only.
func FuzzAlertsForm(f *testing.F) {
	f.Add("a@example.org", "Avalon", "all")
	f.Add("a@example.org\r\nBcc: b@example.org", "Avalon\r\n", "\xff")
	f.Add(`"x" <a@example.org>`, "", "Labrador")
	keys := mail.NewKeys(testMailMaster)
	tpl, err := mail.LoadTemplates()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, email, r1, r2 string) {
		af := form.NewAlertsForm(url.Values{"email": {email}, "region": {r1, r2}})
		if errs := af.Validate(true); len(errs) > 0 {
			return
		}
		for _, r := range af.Regions {
			if r != store.AllRegions && !slices.Contains(store.Regions, r) {
				t.Fatalf("accepted region %q", r)
			}
		}
		req, err := mail.NewSubscribeRequest(keys, tpl, "https://missing.example.ca", "missing.example.ca", mail.SubscribeForm{Email: af.Email, Regions: af.Regions}, fixedNow)
		if err != nil {
			t.Fatalf("accepted %q, then: %v", af.Email, err)
		}
		if strings.ContainsAny(req.Email, "\r\n\x00<>,;\" ") || req.Email != strings.ToLower(req.Email) || req.Confirm.To != req.Email {
			t.Fatalf("accepted address %q", req.Email)
		}
	})
}
