package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// sourceMessage is a message Go code looks up with a literal id.
type sourceMessage struct {
	ctxt, id, where string
}

// sourceMessages finds, in the module's Go files (not tests), every call
// of a method named T, TC or N, or of Mark/MarkC, whose message
// arguments are string literals: the text Go code translates. Messages
// passed through variables must be written with Mark where they are
// defined, so this scan sees them too.
func sourceMessages(t *testing.T) []sourceMessage {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not at %s: %v", root, err)
	}
	var out []sourceMessage
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "node_modules" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			case *ast.Ident:
				name = fn.Name
			}
			lit := func(i int) (string, bool) {
				if i >= len(call.Args) {
					return "", false
				}
				b, ok := call.Args[i].(*ast.BasicLit)
				if !ok || b.Kind != token.STRING {
					return "", false
				}
				s, err := strconv.Unquote(b.Value)
				return s, err == nil
			}
			rel, _ := filepath.Rel(root, p)
			where := rel + ":" + strconv.Itoa(fset.Position(call.Pos()).Line)
			switch name {
			case "T", "N", "Mark":
				if id, ok := lit(0); ok {
					out = append(out, sourceMessage{id: id, where: where})
				}
			case "TH": // kit.TH(lz, msgid, ...)
				if id, ok := lit(1); ok {
					out = append(out, sourceMessage{id: id, where: where})
				}
			case "TC", "MarkC":
				c, ok1 := lit(0)
				id, ok2 := lit(1)
				if ok1 && ok2 {
					out = append(out, sourceMessage{ctxt: c, id: id, where: where})
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSourceMessagesInCatalog: every message Go code translates is in
// the French catalog, so no page, mail, poster or API error falls back
// to English on the French side without a test failing (issue 18). Add
// a missing one to a file of internal/i18n/locales/fr-CA/.
func TestSourceMessagesInCatalog(t *testing.T) {
	msgs := sourceMessages(t)
	if len(msgs) < 40 {
		t.Fatalf("only %d messages found in Go code: is the scan broken?", len(msgs))
	}
	fr := For(French)
	var missing []string
	for _, m := range msgs {
		if !fr.Has(m.ctxt, m.id) {
			missing = append(missing, m.where+": "+m.ctxt+"|"+m.id)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("not in the fr-CA catalog: %s", m)
	}
}
