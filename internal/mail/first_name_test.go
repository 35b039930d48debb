package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// TestFanoutFirstNameOnly: the alerts about a first-name-only case (area
// alert, update, closed notice) name the person as the public pages do,
// "Jordan Z.", also where an update's text wrote the full name; the
// surname is in no subject, text or HTML part.
func TestFanoutFirstNameOnly(t *testing.T) {
	r := newMailRig(t)
	ctx := context.Background()
	r.subscribe(t, SubscribeForm{Email: "area@example.org", Regions: []string{"Avalon"}})
	c := fictionalCase("Jordan Zxqwerty", "Avalon")
	c.FirstNameOnly = true
	c.Aliases = "JJ Zxqwerty"
	c.Circumstances = "Jordan Zxqwerty left home on foot."
	rc, err := r.st.CreateReport(ctx, c, store.ReporterContact{Name: "Rhea Reporter", Email: "rhea@example.org"}, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.st.TransitionCase(ctx, rc.CaseID, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	r.subscribe(t, SubscribeForm{Email: "follower@example.org", CaseID: rc.CaseID, CaseName: "Jordan Z."})
	if _, err := r.st.AddUpdate(ctx, rc.CaseID, "Jordan Zxqwerty may be near the harbour.", nil); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	if err := r.st.TransitionCase(ctx, rc.CaseID, store.StatusLocated, "", nil); err != nil {
		t.Fatal(err)
	}
	r.flush(t)

	var all []parsedMail
	for _, m := range r.ts.got() {
		all = append(all, parse(t, m.Data))
	}
	seen := map[string]bool{}
	for _, m := range all {
		if strings.Contains(m.Subject+m.Text+m.HTML, "Zxqwerty") {
			t.Errorf("mail %q names the surname:\n%s", m.Subject, m.Text)
		}
		seen[m.Subject] = true
	}
	for _, want := range []string{"Missing in Avalon: Jordan Z.", "Update on the appeal for Jordan Z."} {
		if !seen[want] {
			t.Errorf("no mail %q among %v", want, seen)
		}
	}
	found := false
	for _, m := range r.inbox["follower@example.org"] {
		found = found || strings.Contains(m.Text, "Jordan Z. may be near the harbour.")
	}
	if !found {
		t.Errorf("the update's text is not in the follower's mail: %+v", r.inbox["follower@example.org"])
	}
}
