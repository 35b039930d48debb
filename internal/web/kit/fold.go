package kit

import (
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"text/template/parse"
)

// foldMessages replaces each t or tc call whose arguments are all string
// literals — nearly every message of a page: labels, headings, sentences
// without data — by its translation as a string constant, in every
// template of set. The set's language is fixed (one set per language), so
// the text is the same on every execution; calling the function each time
// went through reflection and cost a case page about a fifth of its CPU
// (issue 15's profiles). A constant is still escaped by html/template for
// where it stands, exactly like the function's result. Calls with data
// arguments, th (whose result is trusted HTML) and n (a count) stay calls.
// Runs before the set's first execution (html/template escapes then).
func foldMessages(set *template.Template, funcs template.FuncMap) {
	tf, _ := funcs["t"].(func(string, ...any) string)
	tcf, _ := funcs["tc"].(func(string, string, ...any) string)
	if tf == nil || tcf == nil {
		return
	}
	f := folder{t: tf, tc: tcf}
	for _, x := range set.Templates() {
		if x.Tree != nil {
			f.node(x.Tree.Root)
		}
	}
}

type folder struct {
	t  func(string, ...any) string
	tc func(string, string, ...any) string
}

func (f folder) node(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			f.node(c)
		}
	case *parse.ActionNode:
		f.pipe(n.Pipe)
	case *parse.IfNode:
		f.branch(&n.BranchNode)
	case *parse.RangeNode:
		f.branch(&n.BranchNode)
	case *parse.WithNode:
		f.branch(&n.BranchNode)
	case *parse.TemplateNode:
		f.pipe(n.Pipe)
	}
}

func (f folder) branch(b *parse.BranchNode) {
	f.pipe(b.Pipe)
	f.node(b.List)
	f.node(b.ElseList)
}

func (f folder) pipe(p *parse.PipeNode) {
	if p == nil {
		return
	}
	for i, cmd := range p.Cmds {
		for _, a := range cmd.Args {
			if sub, ok := a.(*parse.PipeNode); ok {
				f.pipe(sub)
			}
		}
		// Only the first command: a later one gets the previous
		// command's result as an extra argument.
		if i == 0 {
			f.command(cmd)
		}
	}
}

// command folds cmd when it is t or tc with string literals only.
func (f folder) command(cmd *parse.CommandNode) {
	if len(cmd.Args) < 2 {
		return
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok || (id.Ident != "t" && id.Ident != "tc") {
		return
	}
	lits := make([]string, 0, len(cmd.Args)-1)
	for _, a := range cmd.Args[1:] {
		s, ok := a.(*parse.StringNode)
		if !ok {
			return
		}
		lits = append(lits, s.Text)
	}
	args := make([]any, 0, len(lits))
	var text string
	switch {
	case id.Ident == "t":
		for _, l := range lits[1:] {
			args = append(args, l)
		}
		text = f.t(lits[0], args...)
	case len(lits) >= 2:
		for _, l := range lits[2:] {
			args = append(args, l)
		}
		text = f.tc(lits[0], lits[1], args...)
	default:
		return
	}
	cmd.Args = []parse.Node{&parse.StringNode{NodeType: parse.NodeString, Pos: id.Pos, Quoted: strconv.Quote(text), Text: text}}
}

// Escaped constants. html/template escapes a set on its first execution by
// appending escaper functions to every action's pipeline, and text/template
// calls those through reflection on every execution: a constant folded
// above still cost a reflective call (about a microsecond with its
// allocations) each time a page printed it, and a page prints a hundred of
// them. foldEscaped runs right after a set is escaped (lazyPage.entry) and
// replaces each action whose whole pipeline is constant — a literal, or a
// function of the set's language with literal arguments (constantFuncs),
// followed by escapers it can reproduce exactly (escapeConst) — by the text
// that action prints. Anything else stays an action: a value from data, an
// escaper for scripts, styles or a URL with characters a normalizer would
// change. TestFoldEscapedMatchesHTMLTemplate holds the reproduction to
// html/template's own output, hostile strings included.

// constantFuncs are the template functions whose result depends only on
// their arguments, the set's language and the running process (asset
// hashes, the tile server): never on the request or the data.
var constantFuncs = map[string]bool{
	"t": true, "tc": true, "th": true, "path": true, "lang": true, "asset": true,
	"feedAll": true, "clientMessages": true, "mapAttribution": true, "mapAttributionURL": true,
	"mapTiles": true,
}

// foldEscaped folds the escaped constant actions of every template of set
// (see above). Templates not escaped yet have no escapers in their
// pipelines and are left alone; folding an action of a template that runs
// concurrently would be a data race, which is why it runs only on trees
// escaped under lazyPage's lock and never executed before.
func foldEscaped(set *template.Template, funcs template.FuncMap) {
	for _, x := range set.Templates() {
		if x.Tree != nil && x.Tree.Root != nil {
			foldList(x.Tree.Root, funcs)
		}
	}
}

func foldList(l *parse.ListNode, funcs template.FuncMap) {
	if l == nil {
		return
	}
	changed := false
	for i, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if s, ok := constAction(n.Pipe, funcs); ok {
				l.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos, Text: []byte(s)}
				changed = true
			}
		case *parse.IfNode:
			foldBranch(&n.BranchNode, funcs)
		case *parse.RangeNode:
			foldBranch(&n.BranchNode, funcs)
		case *parse.WithNode:
			foldBranch(&n.BranchNode, funcs)
		case *parse.ListNode:
			foldList(n, funcs)
		}
	}
	if !changed {
		return
	}
	// Neighbouring texts become one: one write instead of several.
	out := l.Nodes[:0]
	for _, n := range l.Nodes {
		if t, ok := n.(*parse.TextNode); ok && len(out) > 0 {
			if prev, ok := out[len(out)-1].(*parse.TextNode); ok {
				out[len(out)-1] = &parse.TextNode{NodeType: parse.NodeText, Pos: prev.Pos,
					Text: append(append([]byte{}, prev.Text...), t.Text...)}
				continue
			}
		}
		out = append(out, n)
	}
	l.Nodes = out
}

func foldBranch(b *parse.BranchNode, funcs template.FuncMap) {
	foldList(b.List, funcs)
	foldList(b.ElseList, funcs)
}

// constAction is the text an escaped action prints, when that is the same
// on every execution.
func constAction(p *parse.PipeNode, funcs template.FuncMap) (string, bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) < 2 {
		return "", false // an action html/template escaped has at least one escaper
	}
	v, ok := constCommand(p.Cmds[0], funcs)
	if !ok {
		return "", false
	}
	for _, cmd := range p.Cmds[1:] {
		if len(cmd.Args) != 1 {
			return "", false
		}
		id, ok := cmd.Args[0].(*parse.IdentifierNode)
		if !ok {
			return "", false
		}
		if v, ok = escapeConst(id.Ident, v); !ok {
			return "", false
		}
	}
	s, ok := v.(string)
	return s, ok
}

// constCommand evaluates a literal, or a constant function with literal
// arguments, once.
func constCommand(cmd *parse.CommandNode, funcs template.FuncMap) (any, bool) {
	if len(cmd.Args) == 1 {
		if s, ok := cmd.Args[0].(*parse.StringNode); ok {
			return s.Text, true
		}
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok || !constantFuncs[id.Ident] {
		return nil, false
	}
	fn := reflect.ValueOf(funcs[id.Ident])
	if fn.Kind() != reflect.Func || fn.Type().NumOut() != 1 {
		return nil, false
	}
	args := make([]reflect.Value, 0, len(cmd.Args)-1)
	for _, a := range cmd.Args[1:] {
		s, ok := a.(*parse.StringNode)
		if !ok {
			return nil, false
		}
		args = append(args, reflect.ValueOf(s.Text))
	}
	ft := fn.Type()
	if ft.IsVariadic() {
		if len(args) < ft.NumIn()-1 {
			return nil, false
		}
	} else if len(args) != ft.NumIn() {
		return nil, false
	}
	for i := range args {
		in := ft.NumIn() - 1
		if i < in || !ft.IsVariadic() {
			in = i
		}
		want := ft.In(in)
		if ft.IsVariadic() && in == ft.NumIn()-1 {
			want = want.Elem()
		}
		if !reflect.TypeFor[string]().AssignableTo(want) {
			return nil, false
		}
	}
	out := fn.Call(args)[0].Interface()
	switch out.(type) {
	case string, template.HTML:
		return out, true
	}
	return nil, false
}

// escapeConst applies html/template's escaper name to v when its result is
// certain without calling it: the HTML escapers on a plain string (one
// replacement table for text, attribute values and RCDATA), the text
// escaper on trusted HTML (printed as it is), and the URL filters and
// normalizers on a path made only of characters they leave alone.
func escapeConst(name string, v any) (any, bool) {
	switch s := v.(type) {
	case template.HTML:
		if name == "_html_template_htmlescaper" {
			return string(s), true
		}
	case string:
		switch name {
		case "_html_template_htmlescaper", "_html_template_attrescaper", "_html_template_rcdataescaper":
			var b strings.Builder
			escapeHTML(&b, s)
			return b.String(), true
		case "_html_template_urlfilter", "_html_template_urlnormalizer":
			if constURL(s) {
				return s, true
			}
		}
	}
	return nil, false
}

// constURL: a site path made only of characters that html/template's URL
// filter and normalizer leave as they are (plainURL, and a query's ?=&).
func constURL(s string) bool {
	return plainURL(strings.Map(func(r rune) rune {
		if r == '?' || r == '=' || r == '&' {
			return 'q'
		}
		return r
	}, s))
}
