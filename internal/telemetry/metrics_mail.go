package telemetry

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// MailStats is what RegisterMail reads at every scrape: the outbox as
// last counted (a cached snapshot: a scrape must never cost a query).
type MailStats struct {
	// ByState counts outbox messages per state (queued, sending, sent,
	// failed); fixed state names, never user input.
	ByState map[string]int
	// OldestQueuedSeconds is the age of the oldest message not yet sent
	// or failed; 0 when there is none.
	OldestQueuedSeconds float64
}

// MailResults are the label values of mail_send_attempts_total.
var MailResults = []string{"sent", "temporary", "permanent", "network", "exhausted"}

// RegisterMail exposes outbox_messages{state}, outbox_oldest_queued_age_seconds
// (read from stats at every scrape) and mail_send_attempts_total{result},
// and returns the function the sender calls once per attempt. Unknown
// results are counted as "other" so a typo cannot grow the series.
func (m *Metrics) RegisterMail(stats func() MailStats) (attempt func(result string), err error) {
	if m == nil {
		return func(string) {}, nil
	}
	if stats == nil {
		return nil, errors.New("register mail metrics: nil stats function")
	}
	attempts := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "mail_send_attempts_total",
		Help: "SMTP send attempts, by result: sent, temporary (4xx, retried), permanent (5xx, failed), network (retried), exhausted (attempt limit, failed).",
	}, []string{"result"})
	known := map[string]bool{}
	for _, r := range MailResults {
		attempts.WithLabelValues(r) // present from the start, so rate() works at once
		known[r] = true
	}
	cs := []prometheus.Collector{attempts, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "outbox_oldest_queued_age_seconds",
		Help: "Age of the oldest outbox message not yet sent or failed (0 when the outbox is empty): mail is stuck when this grows.",
	}, func() float64 { return stats().OldestQueuedSeconds })}
	for _, state := range []string{"queued", "sending", "sent", "failed"} {
		cs = append(cs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "outbox_messages",
			Help:        "Outbox messages by state.",
			ConstLabels: prometheus.Labels{"state": state},
		}, func() float64 { return float64(stats().ByState[state]) }))
	}
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return nil, fmt.Errorf("register mail metrics: %w", err)
		}
	}
	return func(result string) {
		if !known[result] {
			result = "other"
		}
		attempts.WithLabelValues(result).Inc()
	}, nil
}
