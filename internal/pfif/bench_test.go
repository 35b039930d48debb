package pfif

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"lostinnl/internal/store"
)

func benchCases(n int) []store.Case {
	cs := make([]store.Case, n)
	for i := range cs {
		age := 20 + i%60
		cs[i] = store.Case{ID: int64(i + 1), Status: store.StatusMissing, FullName: fmt.Sprintf("Person Number%d", i), Age: &age, Sex: "female",
			Community: "Pouch Cove", Region: "Avalon", LastSeenPlace: "the ferry dock", Clothing: "red raincoat, black boots",
			Features: "scar on the left hand", LastSeenDate: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC)}
	}
	return cs
}

var benchOpts = ExportOptions{Domain: "lostinnl.example", SiteName: "LostInNL", BaseURL: "https://lostinnl.example",
	Expiry: func(*store.Case) time.Time { return time.Time{} }}

// BenchmarkExport5000: the whole-site export at a plausible size.
func BenchmarkExport5000(b *testing.B) {
	cs := benchCases(5000)
	for b.Loop() {
		if err := Export(io.Discard, cs, benchOpts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse5000: reading that export back (the import's cost).
func BenchmarkParse5000(b *testing.B) {
	var buf bytes.Buffer
	if err := Export(&buf, benchCases(5000), benchOpts); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(buf.Bytes()), Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
