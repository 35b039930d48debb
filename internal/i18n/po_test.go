package i18n

import (
	"strings"
	"testing"
)

func TestParsePO(t *testing.T) {
	src := `# comment
msgid ""
msgstr ""
"Language: fr_CA\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

#: home.html:3
msgid "Find "
"a person"
msgstr "Trouver "
"une personne"

msgctxt "place"
msgid "Located"
msgstr "Situé"

#, fuzzy
msgid "Guess"
msgstr "Devine"

msgid "Empty"
msgstr ""

msgid "Say \"hi\"\n"
msgstr "Dites « \"salut\" »\t\\"

msgid "{n} day"
msgid_plural "{n} days"
msgstr[0] "{n} jour"
msgstr[1] "{n} jours"
`
	c, err := parsePO(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"Find a person":    {"Trouver une personne"},
		"place\x04Located": {"Situé"},
		"Say \"hi\"\n":     {"Dites « \"salut\" »\t\\"},
		"{n} day":          {"{n} jour", "{n} jours"},
	}
	if len(c.entries) != len(want) {
		t.Fatalf("entries = %q", c.entries)
	}
	for k, forms := range want {
		e, ok := c.entries[k]
		if !ok || strings.Join(e.forms, "|") != strings.Join(forms, "|") {
			t.Errorf("%q = %q", k, e.forms)
		}
	}
}

func TestParsePOHostile(t *testing.T) {
	for name, src := range map[string]string{
		"unquoted":       "msgid hello\nmsgstr \"x\"\n",
		"bad escape":     "msgid \"a\\q\"\nmsgstr \"x\"\n",
		"inner quote":    "msgid \"a\"b\"\nmsgstr \"x\"\n",
		"trailing slash": "msgid \"a\\\"\nmsgstr \"x\"\n",
		"keyword":        "msgid \"a\"\nmsgfoo \"x\"\n",
		"orphan string":  "\"a\"\n",
		"duplicate":      "msgid \"a\"\nmsgstr \"x\"\n\nmsgid \"a\"\nmsgstr \"y\"\n",
		"plural index":   "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[9] \"x\"\n",
		"too many forms": "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[0] \"x\"\nmsgstr[1] \"y\"\nmsgstr[2] \"z\"\n",
		"msgstr twice":   "msgid \"a\"\nmsgstr \"x\"\nmsgstr \"y\"\n",
		"nplurals":       "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=x;\\n\"\n",
		"no space":       "msgid\n",
	} {
		if _, err := parsePO(strings.NewReader(src)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A missing plural form is an untranslated message, not an error.
	c, err := parsePO(strings.NewReader("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[0] \"x\"\n"))
	if err != nil || len(c.entries) != 0 {
		t.Fatalf("half-translated plural: %v %v", c, err)
	}
	// A line longer than the scanner's buffer is an error, not a panic.
	if _, err := parsePO(strings.NewReader("msgid \"" + strings.Repeat("a", 2<<20) + "\"\n")); err == nil {
		t.Error("2 MB line accepted")
	}
}

func FuzzParsePO(f *testing.F) {
	f.Add("msgid \"a\"\nmsgstr \"b\"\n")
	f.Add("msgctxt \"c\"\nmsgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[1] \"bs\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = parsePO(strings.NewReader(s))
	})
}
