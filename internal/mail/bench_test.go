package mail

import (
	"context"
	"encoding/pem"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// BenchmarkSend10000 measures the figure: 10,000 queued messages
// delivered to the local SMTP server (STARTTLS + AUTH) by one sender
// process, its wall time and the sender process's peak RSS. Run with
//
//	go test ./internal/mail -run '^$' -bench Send10000 -benchtime 1x
func BenchmarkSend10000(b *testing.B) {
	for range b.N {
		ts := newTestServer(b)
		dir := b.TempDir()
		dbPath := filepath.Join(dir, "bench.db")
		st, err := store.Open(context.Background(), "sqlite:"+dbPath, store.PoolOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.Migrate(context.Background()); err != nil {
			b.Fatal(err)
		}
		withCipher(b, st)
		const total = 10000
		queue(b, st, total, "bench")
		caPath := filepath.Join(dir, "ca.pem")
		if err := os.WriteFile(caPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.cert.Raw}), 0o600); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		start := time.Now()
		cmd := startSenderChild(b, dbPath, caPath, ts.port, "bench", "MAIL_CHILD_BATCH=200")
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		if got := len(ts.got()); got != total {
			b.Fatalf("%d delivered", got)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		b.ReportMetric(elapsed.Seconds(), "s/10k")
		b.ReportMetric(float64(total)/elapsed.Seconds(), "msgs/s")
		b.ReportMetric(float64(ru.Maxrss)/1024, "sender-maxRSS-MB")
		_ = st.Close()
	}
}

// BenchmarkPublishFanout10000: publishing a case in a region with 10,000
// confirmed subscribers — the moderator's transaction (the fan-out is
// only recorded), then the background expansion into 10,000 outbox
// messages. Run with -benchtime 1x.
func BenchmarkPublishFanout10000(b *testing.B) {
	for range b.N {
		st, f := testStore(b)
		ctx := context.Background()
		keys, err := LoadKeys(ctx, st, f.Keeper())
		if err != nil {
			b.Fatal(err)
		}
		tpl, err := LoadTemplates()
		if err != nil {
			b.Fatal(err)
		}
		const subs = 10000
		for i := range subs {
			req, err := NewSubscribeRequest(keys, tpl, "https://lostinnl.test", "lostinnl.test",
				SubscribeForm{Email: "sub" + itoa(i) + "@example.org", Regions: []string{"Western"}}, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			if _, err := st.Subscribe(ctx, req); err != nil {
				b.Fatal(err)
			}
			if _, _, err := st.ConfirmSubscription(ctx, req.ConfirmToken, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		id, err := st.CreateCase(ctx, fictionalCase("Bench Fictional", "Western"), store.ReporterContact{}, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		before := stats(b, st)[store.MailQueued]
		b.ResetTimer()
		t0 := time.Now()
		if err := st.TransitionCase(ctx, id, store.StatusMissing, "", nil); err != nil {
			b.Fatal(err)
		}
		publish := time.Since(t0)
		t1 := time.Now()
		fan := &Fanouts{Store: st, Opener: f, Keys: keys, Templates: tpl, BaseURL: "https://lostinnl.test", Owner: "bench"}
		if _, err := fan.RunOnce(ctx); err != nil {
			b.Fatal(err)
		}
		expand := time.Since(t1)
		b.StopTimer()
		if got := stats(b, st)[store.MailQueued] - before; got != subs {
			b.Fatalf("%d alerts queued", got)
		}
		b.ReportMetric(float64(publish.Microseconds())/1000, "publish-ms")
		b.ReportMetric(expand.Seconds(), "fanout-s")
	}
}
