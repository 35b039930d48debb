package cli

import (
	"testing"

	"lostinnl/internal/config"
	"lostinnl/internal/retention"
)

// TestRetentionPolicyFromConfig: each LOSTINNL_*_RETENTION_DAYS reaches
// the retention job as the period of its own kind.
func TestRetentionPolicyFromConfig(t *testing.T) {
	cfg := &config.Config{PendingRetentionDays: 11, RejectedRetentionDays: 22, TipRetentionDays: 33, MessageRetentionDays: 44}
	want := retention.Policy{PendingDays: 11, RejectedDays: 22, TipDays: 33, MessageDays: 44}
	if got := retentionPolicy(cfg); got != want {
		t.Fatalf("retentionPolicy = %+v, want %+v", got, want)
	}
}
