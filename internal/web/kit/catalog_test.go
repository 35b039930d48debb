package kit

import (
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/template/parse"

	"lostinnl/internal/i18n"
)

// message is one catalog message a template uses.
type message struct {
	ctxt, id, file string
	html           bool // a th call: the text is printed as HTML
}

// templateMessages finds every literal t, th, tc and n call in the
// templates: their msgids (the singular for n) and contexts.
func templateMessages(t *testing.T) []message {
	t.Helper()
	var out []message
	err := fs.WalkDir(TemplateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		src, err := fs.ReadFile(TemplateFS, p)
		if err != nil {
			return err
		}
		tr := parse.New(p)
		tr.Mode = parse.SkipFuncCheck | parse.ParseComments
		trees := map[string]*parse.Tree{}
		if _, err := tr.Parse(string(src), "{{", "}}", trees); err != nil {
			return err
		}
		for _, tree := range trees {
			walkMessages(tree.Root, p, &out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func walkMessages(n parse.Node, file string, out *[]message) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkMessages(c, file, out)
		}
	case *parse.ActionNode:
		walkMessages(n.Pipe, file, out)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walkMessages(c, file, out)
		}
	case *parse.CommandNode:
		if len(n.Args) >= 2 {
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok {
				str := func(i int) (string, bool) {
					if i >= len(n.Args) {
						return "", false
					}
					s, ok := n.Args[i].(*parse.StringNode)
					if !ok {
						return "", false
					}
					return s.Text, true
				}
				switch id.Ident {
				case "t", "th", "n":
					if s, ok := str(1); ok {
						*out = append(*out, message{id: s, file: file, html: id.Ident == "th"})
					}
				case "tc":
					c, ok1 := str(1)
					s, ok2 := str(2)
					if ok1 && ok2 {
						*out = append(*out, message{ctxt: c, id: s, file: file})
					}
				}
			}
		}
		for _, a := range n.Args {
			walkMessages(a, file, out)
		}
	case *parse.IfNode:
		walkMessages(n.Pipe, file, out)
		walkMessages(n.List, file, out)
		walkMessages(n.ElseList, file, out)
	case *parse.RangeNode:
		walkMessages(n.Pipe, file, out)
		walkMessages(n.List, file, out)
		walkMessages(n.ElseList, file, out)
	case *parse.WithNode:
		walkMessages(n.Pipe, file, out)
		walkMessages(n.List, file, out)
		walkMessages(n.ElseList, file, out)
	case *parse.TemplateNode:
		walkMessages(n.Pipe, file, out)
	}
}

// goMessages are the messages Go code of the converted pages looks up
// with literal ids (titles, descriptions, error pages, the listing's
// problems and chips, the cards), which a template scan cannot see.
var goMessages = []message{
	{id: "Help find missing people in Newfoundland and Labrador"},
	{id: "Missing Persons NL shares information about people missing in Newfoundland and Labrador so the public can help find them. See current cases, share them, or send a tip."},
	{id: "About Missing Persons NL"},
	{id: "Why Missing Persons NL exists, how cases are checked with police before they are published, and how the site is run."},
	{id: "Help and resources"},
	{id: "Privacy"},
	{id: "What Missing Persons NL collects, why, who sees it, how long it is kept and how to ask for removal."},
	{id: "Emergency numbers, police, search and rescue, crisis lines and family support for Newfoundland and Labrador."},
	{id: "Missing persons"}, {id: "Located persons"}, {id: "Missing and located persons"},
	{id: "Search: {q}"}, {id: "{title} (page {n})"},
	{id: "Search people reported missing in Newfoundland and Labrador by name, place, region, age and date last seen."},
	// kit/errors.go
	{id: "We can't find that page"},
	{id: "The address may be mistyped, or the page is no longer public. Cases are removed from the site when they are closed."},
	{id: "That action isn't available here"},
	{id: "This address can't be used that way. Go back and try again from the page."},
	{id: "This request was refused"},
	{id: "That was too much to send at once"},
	{id: "The form or its photos are larger than we can accept. Try fewer or smaller photos (each under {size}, at most {n})."},
	{id: "Please wait a moment"},
	{id: "You have sent several forms in a short time, so we paused sending from your connection for a little while. This protects the site from automated spam."},
	{id: "Nothing is wrong with what you typed. Wait a minute, then go back and send it again. If someone is in danger, call 911 now."},
	{id: "The site is having trouble right now"},
	{id: "We can't reach our records at the moment. Please try again in a few minutes. If someone is in danger, call 911."},
	{id: "This appeal is closed"},
	{id: "We couldn't save that"},
	{id: "Something in the form could not be stored as it is, for example text that is too long. Go back, check what you entered, and try again."},
	{id: "We couldn't understand that request"},
	{id: "Something in the address or form was not in a form we can read."},
	{id: "Something went wrong on our side"},
	{id: "The problem has been recorded. Please try again in a moment. If someone is in danger, call 911."},
	{id: "Forms on this site can only be sent from its own pages. Open the page on this site and send the form again."},
	// form/query.go: the listing's problems and chips
	{id: "The search text contained characters we could not read, so it was ignored."},
	{id: "The search text was longer than {max} characters, so it was shortened."},
	{id: "Status must be missing, located or all; showing missing people."},
	{id: "Region must be one of {regions}; showing all regions."},
	{id: "Sex must be one of {sexes}; showing everyone."},
	{id: "Minimum age must be a whole number from 0 to 120, so it was ignored."},
	{id: "Maximum age must be a whole number from 0 to 120, so it was ignored."},
	{id: "The minimum age was above the maximum age, so the age filter was ignored."},
	{id: "The “last seen from” date was ignored: use year-month-day, for example 2026-03-14."},
	{id: "The “last seen until” date was ignored: use year-month-day, for example 2026-03-14."},
	{id: "The “from” date was after the “until” date, so the date filter was ignored."},
	{id: "Sort must be recent, oldest or name; showing the most recent first."},
	{id: "The page number was not valid; showing the first page."},
	{id: "The page number was too large; showing the first page."},
	{id: "Located only"}, {id: "Missing and located"}, {id: "Region: {region}"}, {id: "Sex: {sex}"},
	{id: "Age from {age}"}, {id: "Age to {age}"}, {id: "Last seen from {date}"}, {id: "Last seen until {date}"},
	{ctxt: "region", id: "Eastern"}, {ctxt: "region", id: "Central"}, {ctxt: "region", id: "Western"},
	{ctxt: "region", id: "Avalon"}, {ctxt: "region", id: "Labrador"},
	{ctxt: "sex", id: "Female"}, {ctxt: "sex", id: "Male"}, {ctxt: "sex", id: "Another gender"}, {ctxt: "sex", id: "Not known"},
	{ctxt: "resource category", id: "emergency"}, {ctxt: "resource category", id: "police"},
	{ctxt: "resource category", id: "search and rescue"}, {ctxt: "resource category", id: "health and crisis lines"},
	{ctxt: "resource category", id: "family support"},
	// kit/card.go
	{ctxt: "case status", id: "Missing"}, {ctxt: "case status", id: "Located"},
	{id: "Verified with police"}, {id: "Age"}, {id: "Last seen"}, {id: "Place"},
}

// TestCatalogComplete: every message the templates and the converted
// pages' Go code use is in the French catalog (issue 18). A template
// that calls t with a message missing here shows English on the French
// site: add it to a file of internal/i18n/locales/fr-CA/.
func TestCatalogComplete(t *testing.T) {
	fr := i18n.For(i18n.French)
	msgs := append(templateMessages(t), goMessages...)
	if len(msgs) < 100 {
		t.Fatalf("only %d messages found: is the template scan broken?", len(msgs))
	}
	var missing []string
	seen := map[string]bool{}
	for _, m := range msgs {
		k := m.ctxt + "\x04" + m.id
		if seen[k] {
			continue
		}
		seen[k] = true
		if !fr.Has(m.ctxt, m.id) {
			where := m.file
			if where == "" {
				where = "Go"
			}
			missing = append(missing, where+": "+m.ctxt+"|"+m.id)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("not in the fr-CA catalog: %s", m)
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// TestCatalogMarkup: th prints a translation as HTML, trusting the
// catalog; so a translation must hold exactly the markup of its English
// text (same tags, same attributes, same order), and a t message none.
func TestCatalogMarkup(t *testing.T) {
	fr := i18n.For(i18n.French)
	for _, m := range templateMessages(t) {
		got := tagRE.FindAllString(fr.TC(m.ctxt, m.id), -1)
		want := tagRE.FindAllString(m.id, -1)
		if !m.html {
			want = nil
			if strings.ContainsAny(m.id, "<>&") {
				t.Errorf("%s: t message with markup (use th): %q", m.file, m.id)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q: French markup %q, want %q", m.file, m.id, got, want)
		}
		if strings.Contains(fr.TC(m.ctxt, m.id), "&") && m.html {
			t.Errorf("%s: %q: write characters, not entities, in the catalog", m.file, m.id)
		}
	}
}
