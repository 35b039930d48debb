package hostname

import (
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	for h, want := range map[string]bool{
		"tile.openstreetmap.org":        true,
		"localhost":                     true,
		"example.ca.":                   true,
		"a-b.c":                         true,
		"":                              false,
		".":                             false,
		"-a.b":                          false,
		"a-.b":                          false,
		"a..b":                          false,
		"a_b.c":                         false,
		"tile.example.org/x":            false,
		"exämple.org":                   false,
		strings.Repeat("a", 64):         false,
		strings.Repeat("a.", 127) + "a": false,
		strings.Repeat("a", 63):         true,
	} {
		if got := Valid(h); got != want {
			t.Errorf("Valid(%.20q) = %v, want %v", h, got, want)
		}
	}
}
