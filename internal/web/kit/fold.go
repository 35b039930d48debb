package kit

import (
	"html/template"
	"strconv"
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
