package config

import "testing"

// TestRetentionDefaults: the documented defaults (README, example env,
// privacy page) are what an empty environment gives.
func TestRetentionDefaults(t *testing.T) {
	c := mustLoad(t, env())
	if c.PendingRetentionDays != 90 || c.RejectedRetentionDays != 30 || c.TipRetentionDays != 365 || c.MessageRetentionDays != 180 {
		t.Fatalf("retention defaults: pending %d, rejected %d, tips %d, messages %d; want 90, 30, 365, 180",
			c.PendingRetentionDays, c.RejectedRetentionDays, c.TipRetentionDays, c.MessageRetentionDays)
	}
}
