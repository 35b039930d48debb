package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

// fictionalCase is a publishable case (fictional person).
func fictionalCase(name, region string) *store.Case {
	age := 34
	return &store.Case{
		FullName: name, Age: &age, Sex: "female", LastSeenDate: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC),
		LastSeenPlace: "Water Street", Community: "Harbour Grace", Region: region, Circumstances: "left home on foot",
		PoliceAgency: "RNC", PoliceFileNumber: "2026-0042", PolicePhone: "709-555-0100", PoliceVerified: true,
	}
}

type mailRig struct {
	st    *store.Store
	f     *secrets.FieldCipher
	keys  *Keys
	tpl   *Templates
	fan   *Fanouts
	ts    *testServer
	snd   *Sender
	base  string
	inbox map[string][]parsedMail // by recipient
}

type parsedMail struct {
	Subject, Text, HTML, MessageID, Unsubscribe string
}

func newMailRig(t *testing.T) *mailRig {
	t.Helper()
	st, f := testStore(t)
	keys, err := LoadKeys(context.Background(), st, f.Keeper())
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	r := &mailRig{st: st, f: f, keys: keys, tpl: tpl, base: "https://missingpersons.example.ca"}
	r.fan = &Fanouts{Store: st, Opener: f, Keys: keys, Templates: tpl, BaseURL: r.base, Owner: "fan-a", Batch: 2}
	r.ts = newTestServer(t)
	r.snd = newSender(r.ts, st, f, "send-a")
	return r
}

// flush expands every fan-out, sends everything and reads what arrived.
func (r *mailRig) flush(t *testing.T) {
	t.Helper()
	for range 1000 {
		did, err := r.fan.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !did {
			break
		}
	}
	drain(t, r.snd)
	r.inbox = map[string][]parsedMail{}
	for _, m := range r.ts.got() {
		r.inbox[m.To] = append(r.inbox[m.To], parse(t, m.Data))
	}
}

func parse(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	p := parsedMail{Subject: subj, MessageID: msg.Header.Get("Message-Id"), Unsubscribe: strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>")}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(part)
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/html") {
			p.HTML = string(b)
		} else {
			p.Text = string(b)
		}
	}
	return p
}

func (r *mailRig) subjects(to string) []string {
	var out []string
	for _, m := range r.inbox[to] {
		out = append(out, m.Subject)
	}
	sort.Strings(out)
	return out
}

// subscribe goes through the double opt-in: request, the confirmation
// mail, its link.
func (r *mailRig) subscribe(t *testing.T, form SubscribeForm) {
	t.Helper()
	req, err := NewSubscribeRequest(r.keys, r.tpl, r.base, "missingpersons.example.ca", form, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if res, err := r.st.Subscribe(context.Background(), req); err != nil || res != store.SubscribeMailed {
		t.Fatalf("subscribe: %v, %v", res, err)
	}
	r.flush(t)
	addr, _ := NormalizeAddress(form.Email)
	msgs := r.inbox[addr]
	last := msgs[len(msgs)-1]
	if last.Subject != "Please confirm your LostInNL email alerts" || last.Unsubscribe != "" {
		t.Fatalf("confirmation mail %+v", last)
	}
	// The link in the mail carries the token the store confirms.
	i := strings.Index(last.Text, r.base+ConfirmPath+"?token=")
	if i < 0 {
		t.Fatalf("no confirmation link in %q", last.Text)
	}
	link, err := url.Parse(strings.Fields(last.Text[i:])[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, n, err := r.st.ConfirmSubscription(context.Background(), link.Query().Get("token"), time.Now()); err != nil || n == 0 {
		t.Fatalf("confirm: %d, %v", n, err)
	}
}

// TestFanoutsEndToEnd: every event of the issue mails the right people,
// through the outbox and the SMTP server: confirmation, follow, area
// alert, update, located notice, reporter notices, staff notices (with no
// personal data), and one-click unsubscribe links that work.
func TestFanoutsEndToEnd(t *testing.T) {
	r := newMailRig(t)
	ctx := context.Background()
	for _, u := range []*store.User{
		{Email: "mod@lostinnl.test", DisplayName: "Mod", PasswordHash: "x", Role: store.RoleModerator},
		{Email: "admin@lostinnl.test", DisplayName: "Admin", PasswordHash: "x", Role: store.RoleAdmin},
		{Email: "quiet@lostinnl.test", DisplayName: "Quiet", PasswordHash: "x", Role: store.RoleModerator},
	} {
		if _, err := r.st.CreateUser(ctx, u, nil); err != nil {
			t.Fatal(err)
		}
	}
	quiet, _ := r.st.GetUserByEmail(ctx, "quiet@lostinnl.test")
	if err := r.st.SetStaffNotify(ctx, quiet.ID, false); err != nil {
		t.Fatal(err)
	}

	// Area subscribers: Avalon, all of NL, and Labrador (who hears nothing).
	r.subscribe(t, SubscribeForm{Email: "Avalon.Watcher@example.org", Regions: []string{"Avalon"}})
	r.subscribe(t, SubscribeForm{Email: "everywhere@example.org", Regions: []string{store.AllRegions}})
	r.subscribe(t, SubscribeForm{Email: "north@example.org", Regions: []string{"Labrador"}})

	// A report with the reporter's email.
	rc, err := r.st.CreateReport(ctx, fictionalCase("Marguerite Fictional", "Avalon"),
		store.ReporterContact{Name: "Rhea Reporter", Phone: "709-555-0199", Email: "rhea.reporter@example.org"}, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	if got := r.subjects("rhea.reporter@example.org"); len(got) != 1 || got[0] != "We received your report (reference "+rc.Reference+")" {
		t.Fatalf("reporter got %v", got)
	}
	for _, staff := range []string{"mod@lostinnl.test", "admin@lostinnl.test"} {
		if got := r.subjects(staff); len(got) != 1 || got[0] != "A report awaits review" {
			t.Fatalf("%s got %v", staff, got)
		}
	}
	if len(r.inbox["quiet@lostinnl.test"]) != 0 {
		t.Fatal("opted-out moderator was mailed")
	}

	if err := r.st.TransitionCase(ctx, rc.CaseID, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	alert := "Missing in Avalon: Marguerite Fictional"
	for _, who := range []string{"avalon.watcher@example.org", "everywhere@example.org"} {
		got := r.subjects(who)
		if len(got) != 2 || got[0] != alert {
			t.Fatalf("%s got %v", who, got)
		}
	}
	if got := r.subjects("north@example.org"); len(got) != 1 {
		t.Fatalf("Labrador subscriber got %v", got)
	}
	if got := r.subjects("rhea.reporter@example.org"); len(got) != 2 || got[1] != "Your report "+rc.Reference+" is now published" {
		t.Fatalf("reporter got %v", got)
	}

	// Follow the case, then an update and a tip.
	r.subscribe(t, SubscribeForm{Email: "follower@example.org", CaseID: rc.CaseID, CaseName: "Marguerite Fictional"})
	if _, err := r.st.AddUpdate(ctx, rc.CaseID, "Ground search resumes at 6 a.m. from the harbour.", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.CreateTip(ctx, &store.Tip{CaseID: rc.CaseID, Message: "I think I saw her"},
		store.TipContact{Name: "Tilly Tipster", Phone: "709-555-0177", Email: "tilly@example.org"}); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	fol := r.inbox["follower@example.org"]
	upd := fol[len(fol)-1]
	if upd.Subject != "Update on the appeal for Marguerite Fictional" || !strings.Contains(upd.Text, "Ground search resumes") || !strings.Contains(upd.Text, "709-555-0100") {
		t.Fatalf("update mail %+v", upd)
	}
	// Its one-click link names this subscription of this address.
	u, _ := url.Parse(upd.Unsubscribe)
	if !strings.HasPrefix(upd.Unsubscribe, r.base+UnsubscribePath+"?token=") {
		t.Fatalf("List-Unsubscribe %q", upd.Unsubscribe)
	}
	claim, err := r.keys.ParseManageToken(u.Query().Get("token"), time.Now())
	if err != nil || !bytes.Equal(claim.Index, r.keys.Index("follower@example.org")) || claim.SubscriptionID == 0 {
		t.Fatalf("manage token %+v, %v", claim, err)
	}
	staffTip := r.inbox["mod@lostinnl.test"]
	if last := staffTip[len(staffTip)-1]; last.Subject != "A tip arrived on case #"+itoa(int(rc.CaseID)) {
		t.Fatalf("staff got %+v", last)
	}

	// Staff mail carries nothing personal.
	for _, staff := range []string{"mod@lostinnl.test", "admin@lostinnl.test"} {
		for _, m := range r.inbox[staff] {
			all := m.Subject + m.Text + m.HTML
			for _, secret := range []string{"Rhea", "709-555-0199", "rhea.reporter", "Tilly", "709-555-0177", "tilly@", "I think I saw her", "Marguerite"} {
				if strings.Contains(all, secret) {
					t.Fatalf("staff mail %q contains %q", m.Subject, secret)
				}
			}
		}
	}

	// Located: a short notice to the follower and the reporter, then the
	// follower's subscription ends.
	if err := r.st.TransitionCase(ctx, rc.CaseID, store.StatusLocated, "", nil); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	fol = r.inbox["follower@example.org"]
	closed := fol[len(fol)-1]
	if closed.Subject != "An appeal you followed has been closed" || !strings.Contains(closed.Text, "Thank you for sharing it.") || strings.Contains(closed.Text, "Water Street") {
		t.Fatalf("closed notice %+v", closed)
	}
	rep := r.inbox["rhea.reporter@example.org"]
	if last := rep[len(rep)-1]; last.Subject != "The appeal from your report "+rc.Reference+" has been closed" {
		t.Fatalf("reporter got %+v", last)
	}
	if subs, _ := r.st.SubscriptionsOf(ctx, r.keys.Index("follower@example.org")); len(subs) != 0 {
		t.Fatalf("follower still subscribed: %+v", subs)
	}
	// Everything that was queued was delivered exactly once.
	seen := map[string]int{}
	for _, m := range r.ts.got() {
		seen[m.MessageID]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	if st := stats(t, r.st); st[store.MailQueued] != 0 || st[store.MailFailed] != 0 || st[store.MailSent] != len(seen) {
		t.Fatalf("outbox %v, %d delivered", st, len(seen))
	}
	// Subscribers' copies are bulk (sent after one-person mail); the
	// reporter's, the staff's and the confirmations are not.
	list, _, err := r.st.ListOutbox(ctx, store.OutboxFilter{PerPage: 100})
	if err != nil || len(list) == 0 {
		t.Fatalf("list outbox: %d, %v", len(list), err)
	}
	for _, m := range list {
		wantBulk := m.Kind == KindAreaAlert || m.Kind == KindCaseUpdate || m.Kind == KindCaseClosed
		if m.Bulk != wantBulk {
			t.Errorf("%s (%s): bulk = %v", m.MessageID, m.Kind, m.Bulk)
		}
	}
}

// TestFanoutResumesAfterCrash: a fan-out whose worker died mid-way (its
// lease ran out) is finished by another worker, and nobody gets a second
// copy of what was already queued.
func TestFanoutResumesAfterCrash(t *testing.T) {
	r := newMailRig(t)
	ctx := context.Background()
	for i := range 5 {
		req, err := NewSubscribeRequest(r.keys, r.tpl, r.base, "x.test", SubscribeForm{Email: "sub" + itoa(i) + "@example.org", Regions: []string{"Central"}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.st.Subscribe(ctx, req); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.st.ConfirmSubscription(ctx, req.ConfirmToken, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	id, err := r.st.CreateCase(ctx, fictionalCase("Odile Fictional", "Central"), store.ReporterContact{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.st.TransitionCase(ctx, id, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	// Worker A does one batch (2 of 5) and dies.
	fo, err := r.st.ClaimFanout(ctx, "dead", time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := r.st.GetCase(ctx, id)
	dead := &Fanouts{Store: r.st, Opener: r.f, Keys: r.keys, Templates: r.tpl, BaseURL: r.base, Owner: "dead", Batch: 2}
	dead.defaults()
	step, err := dead.step(ctx, fo, c)
	if err != nil {
		t.Fatal(err)
	}
	step.Lease = time.Millisecond
	if err := r.st.AdvanceFanout(ctx, fo, "dead", step); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // let the 1 ms lease run out (not an assertion on timing)
	r.flush(t)
	got := 0
	for i := range 5 {
		n := 0
		for _, m := range r.inbox["sub"+itoa(i)+"@example.org"] {
			if m.Subject == "Missing in Central: Odile Fictional" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("sub%d got %d alerts", i, n)
		}
		got += n
	}
	if got != 5 {
		t.Fatalf("%d alerts", got)
	}
}
