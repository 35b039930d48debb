package web

import (
	"net/http"
	"strings"
	"testing"

	"lostinnl/internal/web/site"
	"lostinnl/internal/web/staff"
)

// TestPrivacyStatesConfiguredRetention: the periods on the privacy page
// are the configured ones, not text written into the template.
func TestPrivacyStatesConfiguredRetention(t *testing.T) {
	s := newSite(t, func(d *Deps) {
		d.Retention = site.Retention{LocatedDays: 14, PendingDays: 61, RejectedDays: 1, TipDays: 400, MessageDays: 45, LocatedPublicDays: 21}
	})
	rec := s.get("/privacy")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body,
		"removed from the public page 14 days later",
		"21 days after they were located the case is archived",
		"61 days after they were last changed",
		"deleted 1 day after we decline them",
		"are deleted 400 days after we receive them",
		"Contact messages are deleted 45 days after we receive them")
	// The email alerts section states fixed periods (internal/store's
	// confirmation window, internal/mail's sent-mail retention): checked
	// on their own, and left out of the look for unconfigured ones.
	before, alerts, ok := strings.Cut(body, `id="alerts"`)
	if !ok {
		t.Fatal("privacy page has no email alerts section")
	}
	alerts, after, _ := strings.Cut(alerts, "<h2")
	mustContain(t, alerts, "within 48 hours", "kept for 30 days", "stored encrypted", "keyed fingerprint", "no tracking images")
	for _, def := range []string{"90 days", "365 days", "180 days", "30 days"} {
		if strings.Contains(before+after, def) {
			t.Errorf("privacy page states %q, which is not configured", def)
		}
	}

	s = newSite(t, func(d *Deps) {
		d.Retention = site.Retention{LocatedDays: 0, PendingDays: 90, RejectedDays: 30, TipDays: 365, MessageDays: 180, LocatedPublicDays: 1}
	})
	mustContain(t, s.get("/privacy").Body.String(), "removed from the public page within the hour", "1 day after they were located the case is archived")
}

// TestRetentionPartialRefused: a partly filled Retention is a wiring
// mistake (the page would state 0 days); the zero value means the
// configuration's defaults.
func TestRetentionPartialRefused(t *testing.T) {
	s := newSite(t)
	for _, r := range []site.Retention{{LocatedDays: -1, PendingDays: 1, RejectedDays: 1, TipDays: 1, MessageDays: 1},
		{PendingDays: 1, RejectedDays: 1, TipDays: 0, MessageDays: 1}, {LocatedDays: 30},
		{LocatedDays: 1, PendingDays: 1, RejectedDays: 1, TipDays: 1, MessageDays: 1, LocatedPublicDays: 0}} {
		if _, err := New(Deps{Store: s.st, Admin: &staff.Admin{Cipher: newTestCipher(t)}, Retention: r}); err == nil {
			t.Errorf("New accepted Retention %+v", r)
		}
	}
	mustContain(t, s.get("/privacy").Body.String(), "90 days after they were last changed", "365 days after we receive them")
}
