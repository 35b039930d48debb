package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// queueMail puts n messages in the outbox and fails the last one (as the
// sender does after a 550), returning their ids in order.
func (s *adminSite) queueMail(t *testing.T, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		_, err := s.st.Enqueue(ctx, store.Mail{
			MessageID: "test." + strconv.Itoa(i) + "@missing.example.ca", Kind: "case_update",
			To: "reader" + strconv.Itoa(i) + "@example.org", Subject: "Update <" + strconv.Itoa(i) + ">",
			Text: "Plain body " + strconv.Itoa(i), HTML: "<p onclick=\"x()\">HTML body</p>",
			UnsubscribeURL: "https://missing.example.ca/alerts/unsubscribe?token=t",
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	msgs, _, err := s.st.ListOutbox(ctx, store.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	claimed, err := s.st.ClaimOutbox(ctx, "test-sender", 1, time.Minute)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %d", err, len(claimed))
	}
	if ok, err := s.st.FailMail(ctx, claimed[0].ID, "test-sender", "550 mailbox unavailable"); err != nil || !ok {
		t.Fatalf("fail mail: %v %v", ok, err)
	}
	ids := make([]int64, 0, len(msgs))
	for i := len(msgs) - 1; i >= 0; i-- {
		ids = append(ids, msgs[i].ID)
	}
	return ids
}

func TestAdminOutbox(t *testing.T) {
	s := newAdminSite(t, func(d *Deps) { d.MailIdle = "mail is not configured (LOSTINNL_SMTP_URL): messages stay in the outbox" })
	mod, adm := s.staff()
	ids := s.queueMail(t, 3)
	failed, _, err := s.st.ListOutbox(context.Background(), store.OutboxFilter{State: store.MailFailed})
	if err != nil || len(failed) != 1 {
		t.Fatalf("failed messages: %v %d", err, len(failed))
	}
	failedID := strconv.FormatInt(failed[0].ID, 10)

	wantStatus(t, mod.get("/admin/outbox"), http.StatusForbidden)
	wantStatus(t, mod.get("/admin/outbox/"+failedID), http.StatusForbidden)
	wantStatus(t, mod.post("/admin/outbox/"+failedID+"/requeue", nil), http.StatusForbidden)
	wantLoginRedirect(t, s.browser().get("/admin/outbox"))

	rec := adm.get("/admin/outbox")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body, `id="mail-idle"`, "mail is not configured", "reader0@example.org", "reader2@example.org",
		"Update &lt;1&gt;", "3 messages", "queued (2)", "failed (1)", `<a href="/admin/outbox"`)
	mustContain(t, adm.get("/admin").Body.String(), `<a href="/admin/outbox">Outbox</a>`)

	rec = adm.get("/admin/outbox?state=failed")
	mustContain(t, rec.Body.String(), "1 message", "/admin/outbox/"+failedID)
	for _, bad := range []string{"bogus", "failed%0d%0aX", strings.Repeat("x", 100<<10), "%ff"} {
		rec = adm.get("/admin/outbox?state=" + bad)
		wantStatus(t, rec, http.StatusOK)
		mustContain(t, rec.Body.String(), "Unknown state", "3 messages")
	}
	for _, bad := range []string{"page=-1", "page=abc", "page=99999999999999999999"} {
		wantStatus(t, adm.get("/admin/outbox?"+bad), http.StatusOK)
	}

	rec = adm.get("/admin/outbox/" + failedID)
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "550 mailbox unavailable", "Plain body", "&lt;p onclick=", `id="requeue"`)
	mustNotContain(t, rec.Body.String(), `<p onclick=`)
	queuedID := strconv.FormatInt(ids[0], 10)
	if queuedID == failedID {
		queuedID = strconv.FormatInt(ids[1], 10)
	}
	mustNotContain(t, adm.get("/admin/outbox/"+queuedID).Body.String(), `id="requeue"`)
	for _, bad := range []string{"99999", "abc", "-1", "1%0d%0a"} {
		wantStatus(t, adm.get("/admin/outbox/"+bad), http.StatusNotFound)
		wantStatus(t, adm.post("/admin/outbox/"+bad+"/requeue", nil), http.StatusNotFound)
	}

	// Requeue: a failed message goes back to the queue, audited; a queued
	// one is not "requeued" (the admin is told).
	rec = adm.post("/admin/outbox/"+failedID+"/requeue", nil)
	wantStatus(t, rec, http.StatusSeeOther)
	m, err := s.st.GetOutboxMessage(context.Background(), failed[0].ID)
	if err != nil || m.State != store.MailQueued || m.Attempts != 0 {
		t.Fatalf("after requeue: %v %+v", err, m)
	}
	if a := s.audit("mail.requeue"); len(a) != 1 || a[0].UserEmail != "admin@example.org" {
		t.Fatalf("audit: %+v", a)
	}
	mustContain(t, adm.get(rec.Header().Get("Location")).Body.String(), "will be sent again")
	rec = adm.post("/admin/outbox/"+failedID+"/requeue", nil)
	wantStatus(t, rec, http.StatusSeeOther)
	mustContain(t, adm.get(rec.Header().Get("Location")).Body.String(), "Only a failed message can be sent again")

	// Cross-site posts stay refused on the admin side.
	req := httptest.NewRequest(http.MethodPost, "/admin/outbox/"+failedID+"/requeue", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, adm.do(req), http.StatusForbidden)
}

func TestAdminOutboxMailSent(t *testing.T) {
	s := newAdminSite(t) // MailIdle "": mail is being sent
	_, adm := s.staff()
	rec := adm.get("/admin/outbox")
	wantStatus(t, rec, http.StatusOK)
	mustNotContain(t, rec.Body.String(), `id="mail-idle"`)
	mustContain(t, rec.Body.String(), "No messages.")
}

func TestStaffNotificationOptOut(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	u, err := s.st.GetUserByEmail(context.Background(), "mod@example.org")
	if err != nil {
		t.Fatal(err)
	}
	rec := mod.get("/admin/account/notifications")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "You receive these emails", `value="off"`, "never contain a reporter")
	mustContain(t, mod.get("/admin").Body.String(), `href="/admin/account/notifications"`)

	rec = mod.post("/admin/account/notifications", url.Values{"notify": {"off"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if on, err := s.st.StaffNotify(context.Background(), u.ID); err != nil || on {
		t.Fatalf("after opting out: %v %v", on, err)
	}
	mustContain(t, mod.get("/admin/account/notifications").Body.String(), "no longer be emailed", "You do not receive these emails")

	for _, bad := range []url.Values{{}, {"notify": {"yes"}}, {"notify": {"on\r\nX: y"}}, {"notify": {strings.Repeat("on", 50000)}}} {
		wantStatus(t, mod.post("/admin/account/notifications", bad), http.StatusBadRequest)
	}
	if on, _ := s.st.StaffNotify(context.Background(), u.ID); on {
		t.Fatal("a bad value turned notifications on")
	}
	wantStatus(t, mod.post("/admin/account/notifications", url.Values{"notify": {"on"}}), http.StatusSeeOther)
	if on, _ := s.st.StaffNotify(context.Background(), u.ID); !on {
		t.Fatal("could not opt back in")
	}
	wantLoginRedirect(t, s.browser().get("/admin/account/notifications"))
	wantLoginRedirect(t, s.browser().post("/admin/account/notifications", url.Values{"notify": {"off"}}))
}
