package kit

import (
	"html/template"
	"io"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
)

// TestFoldMessages: literal t/tc calls become constants (the function is
// not called when the page runs), their text is escaped for where it
// stands as the call's result was, and calls with data stay calls.
func TestFoldMessages(t *testing.T) {
	calls := 0
	tr := map[string]string{"Hello": `Bonjour <b>"toi"</b>`, "x {n}": "y {n}", "c\x04Word": "Mot & co", "Label": "Étiquette"}
	funcs := template.FuncMap{
		"t": func(id string, args ...any) string {
			calls++
			s := tr[id]
			for i := 0; i+1 < len(args); i += 2 {
				s = strings.ReplaceAll(s, "{"+args[i].(string)+"}", args[i+1].(string))
			}
			return s
		},
		"tc":   func(c, id string, args ...any) string { calls++; return tr[c+"\x04"+id] },
		"wrap": func(s string) string { return "[" + s + "]" },
	}
	set := template.Must(template.New("p").Funcs(funcs).Parse(
		`<p title="{{t "Hello"}}">{{t "Hello"}}</p>{{tc "c" "Word"}}{{wrap (t "Label")}}{{t "x {n}" "n" .N}}{{if .N}}{{t "Label"}}{{end}}`))
	foldMessages(set, funcs)
	calls = 0
	var b strings.Builder
	if err := set.Execute(&b, map[string]string{"N": "3"}); err != nil {
		t.Fatal(err)
	}
	want := `<p title="Bonjour &lt;b&gt;&#34;toi&#34;&lt;/b&gt;">Bonjour &lt;b&gt;&#34;toi&#34;&lt;/b&gt;</p>Mot &amp; co[Étiquette]y 3Étiquette`
	if b.String() != want {
		t.Errorf("output\n%s\nwant\n%s", b.String(), want)
	}
	if calls != 1 {
		t.Errorf("%d calls at run time, want 1 (the call with data)", calls)
	}
}

// TestFoldEscapedMatchesHTMLTemplate: an escaped constant action printed
// as text by foldEscaped is byte for byte what html/template prints for
// it, in every context and for hostile strings; the contexts whose
// escaping foldEscaped does not reproduce keep their action.
func TestFoldEscapedMatchesHTMLTemplate(t *testing.T) {
	values := []string{
		"Missing persons", `<script>alert("x")</script>`, `a & b 'c' "d" +e`, "nul\x00byte",
		"Côté Saint-Pierre ☺", "javascript:alert(1)", "/cases?status=located&page=2", "/a b/ç",
		"http://example.test/x", "https://example.test/a?b=c", "</textarea><b>", "{{.}}", "",
		"\xff\xfe invalid", "/fr/cases", "data:text/html,<b>",
	}
	contexts := []struct {
		tmpl string
		fold bool // foldEscaped must turn every constant here into text
	}{
		{`<p>{{X}}</p>`, true},
		{`<a title="{{X}}">x</a>`, true},
		{`<a title='{{X}}'>x</a>`, true},
		{`<textarea>{{X}}</textarea>`, true},
		{`<title>{{X}}</title>`, true},
		{`<a title={{X}}>x</a>`, false},
		{`<a href="{{X}}">x</a>`, false},
		{`<a href="/x?q={{X}}">x</a>`, false},
		{`<script>var s = {{X}};</script>`, false},
		{`<a onclick="f({{X}})">x</a>`, false},
		{`<p style="color: {{X}}">x</p>`, false},
		{`<img srcset="{{X}}">`, false},
		{`<!-- {{X}} -->`, false},
	}
	funcs := template.FuncMap{
		"th":   func(s string) template.HTML { return template.HTML("<b>" + s + "</b>") },
		"path": func(s string) string { return "/fr" + s },
	}
	folded := 0
	for _, c := range contexts {
		for _, v := range values {
			for _, expr := range []string{strconv.Quote(v), "th " + strconv.Quote(v), "path " + strconv.Quote(v)} {
				src := strings.ReplaceAll(c.tmpl, "X", expr) + `{{.}}`
				want := execString(t, template.Must(template.New("p").Funcs(funcs).Parse(src)))
				set := template.Must(template.New("p").Funcs(funcs).Parse(src))
				_ = set.Execute(io.Discard, nil)
				foldEscaped(set, funcs)
				if got := execString(t, set); got != want {
					t.Errorf("%s: folded %q, html/template %q", src, got, want)
				}
				actions := countActions(set.Tree.Root)
				if actions == 1 {
					folded++
				}
				// Trusted HTML folds in text only: attributes and RCDATA
				// strip its tags, which foldEscaped leaves to html/template.
				mustFold := c.fold && !strings.HasPrefix(expr, "path") && (!strings.HasPrefix(expr, "th") || strings.HasPrefix(c.tmpl, "<p>"))
				if mustFold && actions != 1 {
					t.Errorf("%s: %d actions left, want only {{.}}", src, actions)
				}
			}
		}
	}
	if folded == 0 {
		t.Fatal("nothing folded")
	}
}

func execString(t *testing.T, set *template.Template) string {
	t.Helper()
	var b strings.Builder
	if err := set.Execute(&b, `data <i>`); err != nil {
		return "error: " + err.Error()
	}
	return b.String()
}

func countActions(n parse.Node) int {
	switch n := n.(type) {
	case *parse.ListNode:
		c := 0
		for _, x := range n.Nodes {
			c += countActions(x)
		}
		return c
	case *parse.ActionNode:
		return 1
	}
	return 0
}
