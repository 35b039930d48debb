package telemetry

import "testing"

func TestOrphanBlobsRemoved(t *testing.T) {
	m := NewMetrics("v", "c")
	if got, ok := scrape(t, m.Handler())["photo_orphan_blobs_removed_total"]; !ok || got != 0 {
		t.Fatalf("before any sweep: %v, %v (want 0, exposed)", got, ok)
	}
	m.OrphanBlobsRemoved(4)
	m.OrphanBlobsRemoved(0)
	m.OrphanBlobsRemoved(-3) // never decreases
	m.OrphanBlobsRemoved(5)
	if got := scrape(t, m.Handler())["photo_orphan_blobs_removed_total"]; got != 9 {
		t.Fatalf("photo_orphan_blobs_removed_total = %v, want 9", got)
	}
	var nilM *Metrics
	nilM.OrphanBlobsRemoved(1)
}
