package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"lostinnl/internal/mail"
	"lostinnl/internal/store"
)

// TestPrepareAndPublish: after prepare the outbox is idle (nothing of the
// preparation would reach the sink) with the subscribers confirmed; a
// publication then fans out to exactly them.
func TestPrepareAndPublish(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("LOSTINNL_DATA_DIR", dir)
	t.Setenv("LOSTINNL_DATABASE_URL", "sqlite:"+filepath.Join(dir, "load.db"))
	t.Setenv("LOSTINNL_MEDIA_URL", "file://"+filepath.Join(dir, "media"))
	t.Setenv("LOSTINNL_SECRETS_KEEPER", "")
	ctx := context.Background()
	ids, pending := filepath.Join(dir, "ids.txt"), filepath.Join(dir, "pending.txt")
	if err := prepareCmd(ctx, []string{"-subs", "25", "-cases", "10", "-publish", "2", "-region", "Labrador", "-ids", ids, "-pending", pending}); err != nil {
		t.Fatal(err)
	}
	st, f, closeAll, err := open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	if n, err := countSubscribers(ctx, st, "Labrador"); err != nil || n != 25 {
		t.Fatalf("%d subscribers (%v), want 25", n, err)
	}
	queued := func() int {
		s, err := st.OutboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s.ByState[store.MailQueued] + s.ByState[store.MailSending]
	}
	if q := queued(); q != 0 {
		t.Fatalf("%d messages left in the outbox after preparing", q)
	}
	data, err := os.ReadFile(pending)
	if err != nil {
		t.Fatal(err)
	}
	cases := strings.Fields(string(data))
	if len(cases) != 2 {
		t.Fatalf("pending file %q", data)
	}
	if data, err := os.ReadFile(ids); err != nil || len(strings.Fields(string(data))) < 10 {
		t.Fatalf("ids file: %d ids, %v", len(strings.Fields(string(data))), err)
	}

	if err := publishCmd(ctx, []string{"-case", cases[0]}); err != nil {
		t.Fatal(err)
	}
	keys, err := mail.LoadKeys(ctx, st, f.Keeper())
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := mail.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	fan := &mail.Fanouts{Store: st, Opener: f, Keys: keys, Templates: tpl, BaseURL: "http://127.0.0.1", Owner: "test"}
	for {
		did, err := fan.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !did {
			break
		}
	}
	if q := queued(); q != 25 {
		t.Fatalf("%d alerts queued after publishing, want 25", q)
	}
	if err := publishCmd(ctx, []string{"-case", cases[0]}); err == nil {
		t.Error("publishing a published case again succeeded")
	}
}

func TestPrepareRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"-subs", "10", "-pending", "p"},                      // no -ids
		{"-ids", "i", "-pending", "p", "-region", "Atlantis"}, // not a region
		{"-ids", "i", "-pending", "p", "-subs", "0"},          // nobody to alert
		{"-ids", "i", "-pending", "p", "-publish", "0"},       // nothing to publish
		{"-ids", "i", "-pending", "p", "extra"},               // stray argument
	} {
		if err := prepareCmd(context.Background(), args); err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
	if err := sinkCmd(context.Background(), []string{"-smtp", "0.0.0.0:2525"}); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("sink on a public address: %v", err)
	}
}

// TestSinkCounts: the sink counts every message per recipient, the
// subscribers' ones apart, over real SMTP.
func TestSinkCounts(t *testing.T) {
	sl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *sink)
	go func() { done <- serveSink(ctx, sl, hl) }()
	defer func() { cancel(); <-done }()

	send := func(to ...string) {
		t.Helper()
		c, err := smtp.Dial(sl.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.SendMail("alerts@lostinnl.test", to, strings.NewReader("Subject: x\r\n\r\nhello\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	send("load-sub-00001" + subscriberDomain)
	send("someone@example.net", "load-sub-00002"+subscriberDomain)
	res, err := http.Get("http://" + hl.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	f := strings.Fields(string(body))
	if len(f) != 3 || f[0] != "3" || f[1] != "2" || f[2] == "0" {
		t.Fatalf("counts %q, want 3 messages, 2 alerts and a time", body)
	}
}
