package pfif

import (
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// The circumstances in the other language (issue 18) go into the PFIF
// description after the original, named by their language.
func TestDescriptionCarriesOtherLanguage(t *testing.T) {
	c := &store.Case{LastSeenDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Circumstances: "Left on foot.",
		CircumstancesAlt: "Partie à pied."}
	if d := description(c); !strings.Contains(d, "Circumstances: Left on foot.\nCircumstances (French): Partie à pied.") {
		t.Errorf("English case: %q", d)
	}
	c.ContentLang, c.Circumstances, c.CircumstancesAlt = store.ContentFrench, "Partie à pied.", "Left on foot."
	if d := description(c); !strings.Contains(d, "Circumstances: Partie à pied.\nCircumstances (English): Left on foot.") {
		t.Errorf("French case: %q", d)
	}
	c.CircumstancesAlt = ""
	if d := description(c); strings.Contains(d, "(English)") {
		t.Errorf("no other version, yet: %q", d)
	}
}
