package kit

import (
	"html/template"
	"strings"
	"testing"
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
