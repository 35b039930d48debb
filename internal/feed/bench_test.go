package feed

import (
	"fmt"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// BenchmarkAllOpen5000 builds and renders the all-cases feed of 5,000 open
// cases (what the web layer does once per content revision).
func BenchmarkAllOpen5000(b *testing.B) {
	cs := make([]store.Case, 5000)
	for i := range cs {
		age := 20 + i%60
		cs[i] = store.Case{ID: int64(i + 1), Status: store.StatusMissing, FullName: fmt.Sprintf("Person %d", i), Age: &age,
			Community: "Pouch Cove", Region: "Avalon", LastSeenPlace: "the ferry dock", Clothing: "red raincoat",
			LastSeenDate: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 10, 3, 0, 0, i, 0, time.UTC)}
	}
	s := Site{Name: "LostInNL", BaseURL: "https://example.test"}
	for b.Loop() {
		body, err := Render(AllOpen(s, cs, time.Time{}))
		if err != nil {
			b.Fatal(err)
		}
		_ = ValidatorsOf(body, time.Time{})
	}
}
