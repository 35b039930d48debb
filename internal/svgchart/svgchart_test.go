package svgchart

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
)

// element is a parsed SVG element: enough of a DOM for the tests.
type element struct {
	name     string
	attrs    map[string]string
	text     string
	children []*element
}

// parse parses doc with encoding/xml (strict: any malformed markup fails).
func parse(t *testing.T, doc []byte) *element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var stack []*element
	var root *element
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			e := &element{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, e)
			} else if root == nil {
				root = e
			} else {
				t.Fatalf("two root elements")
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	if root == nil {
		t.Fatal("no root element")
	}
	return root
}

func (e *element) all(name string) []*element {
	var out []*element
	var walk func(*element)
	walk = func(x *element) {
		if x.name == name {
			out = append(out, x)
		}
		for _, c := range x.children {
			walk(c)
		}
	}
	walk(e)
	return out
}

func (e *element) byID(id string) *element {
	var found *element
	var walk func(*element)
	walk = func(x *element) {
		if x.attrs["id"] == id {
			found = x
		}
		for _, c := range x.children {
			walk(c)
		}
	}
	walk(e)
	return found
}

func sample() *Chart {
	return &Chart{
		ID: "regions", Title: "Cases by region", Desc: "Number of cases in each region.",
		Legend: "Hatched: fewer than 5",
		Bars: []Bar{
			{Label: "Avalon", Kind: Value, Value: 40, Text: "40"},
			{Label: "Eastern", Kind: Range, Value: 5, Text: "fewer than 5"},
			{Label: "Central", Kind: Hidden, Text: "not shown"},
			{Label: "Labrador", Kind: Value, Value: 0, Text: "0"},
			{Label: "Western", Kind: Value, Value: 20, Text: "20"},
		},
	}
}

// TestRenderAccessible: well-formed SVG, role img, named by its title and
// described by its desc, both listing what the bars say.
func TestRenderAccessible(t *testing.T) {
	doc, err := sample().Render()
	if err != nil {
		t.Fatal(err)
	}
	root := parse(t, doc)
	if root.name != "svg" || root.attrs["role"] != "img" {
		t.Fatalf("root %s role %q", root.name, root.attrs["role"])
	}
	refs := strings.Fields(root.attrs["aria-labelledby"])
	if len(refs) != 2 {
		t.Fatalf("aria-labelledby %q", root.attrs["aria-labelledby"])
	}
	title, desc := root.byID(refs[0]), root.byID(refs[1])
	if title == nil || title.name != "title" || title.text != "Cases by region" {
		t.Fatalf("title %+v", title)
	}
	if desc == nil || desc.name != "desc" {
		t.Fatalf("desc %+v", desc)
	}
	want := "Number of cases in each region. Avalon: 40; Eastern: fewer than 5; Central: not shown; Labrador: 0; Western: 20."
	if desc.text != want {
		t.Errorf("desc %q\nwant %q", desc.text, want)
	}
	if root.attrs["viewBox"] == "" {
		t.Error("no viewBox: the chart would not scale")
	}
}

// TestRenderCSPSafe: no style attribute or element, no script, no
// event handler, no external reference: only presentation attributes.
func TestRenderCSPSafe(t *testing.T) {
	doc, err := sample().Render()
	if err != nil {
		t.Fatal(err)
	}
	root := parse(t, doc)
	var walk func(*element)
	walk = func(e *element) {
		if e.name == "style" || e.name == "script" || e.name == "foreignObject" || e.name == "image" {
			t.Errorf("element <%s>", e.name)
		}
		for k, v := range e.attrs {
			if k == "style" || strings.HasPrefix(k, "on") || k == "href" {
				t.Errorf("<%s %s=%q>", e.name, k, v)
			}
			if strings.Contains(v, "url(") && !strings.HasPrefix(v, "url(#regions-") {
				t.Errorf("<%s %s=%q>: reference outside the chart", e.name, k, v)
			}
		}
		for _, c := range e.children {
			walk(c)
		}
	}
	walk(root)
	for id := range ids(root) {
		if !strings.HasPrefix(id, "regions-") {
			t.Errorf("id %q not prefixed with the chart's id", id)
		}
	}
}

func ids(root *element) map[string]bool {
	out := map[string]bool{}
	var walk func(*element)
	walk = func(e *element) {
		if id := e.attrs["id"]; id != "" {
			out[id] = true
		}
		for _, c := range e.children {
			walk(c)
		}
	}
	walk(root)
	return out
}

// TestRenderBars: solid bars in proportion, a hatched bar across the whole
// range for a "fewer than" value, no bar for a hidden or zero value.
func TestRenderBars(t *testing.T) {
	doc, err := sample().Render()
	if err != nil {
		t.Fatal(err)
	}
	root := parse(t, doc)
	var solid, hatched []int
	for _, r := range root.all("rect") {
		w, _ := strconv.Atoi(r.attrs["width"])
		switch {
		case r.attrs["fill"] == bar:
			solid = append(solid, w)
		case r.attrs["fill"] == "url(#regions-hatch)" && r.attrs["height"] == strconv.Itoa(barHeight):
			hatched = append(hatched, w)
		}
	}
	// Scale 0–40 over barSpace: 40 → barSpace, 20 → half, 5 → an eighth.
	if len(solid) != 2 || solid[0] != barSpace || solid[1] != barSpace/2 {
		t.Errorf("solid bars %v, want [%d %d]", solid, barSpace, barSpace/2)
	}
	if len(hatched) != 1 || hatched[0] != 5*barSpace/40 {
		t.Errorf("hatched bars %v, want [%d]", hatched, 5*barSpace/40)
	}
	var texts []string
	for _, e := range root.all("text") {
		texts = append(texts, e.text)
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"Avalon|40", "Eastern|fewer than 5", "Central|not shown", "Labrador|0", "Hatched: fewer than 5"} {
		if !strings.Contains(joined, want) {
			t.Errorf("texts %q lack %q", joined, want)
		}
	}
}

// TestRenderEscapes: labels and texts are character data, whatever they
// hold.
func TestRenderEscapes(t *testing.T) {
	hostile := `</text><script>alert(1)</script><a href="x">&amp;"'` + "\x00\n"
	c := &Chart{ID: "x1", Title: hostile, Desc: hostile, Bars: []Bar{{Label: hostile, Kind: Value, Value: 3, Text: hostile}}}
	doc, err := c.Render()
	if err != nil {
		t.Fatal(err)
	}
	root := parse(t, doc)
	if len(root.all("script")) != 0 || len(root.all("a")) != 0 {
		t.Fatalf("markup from a label got through:\n%s", doc)
	}
	if got := root.byID("x1-title").text; !strings.Contains(got, "<script>alert(1)</script>") {
		t.Errorf("title text %q: the label should be kept as text", got)
	}
}

// TestRenderRejects: bad ids and negative values are errors, not charts.
func TestRenderRejects(t *testing.T) {
	for _, id := range []string{"", "1a", "a b", `a"`, "A", "a_b", "é"} {
		if _, err := (&Chart{ID: id}).Render(); err == nil {
			t.Errorf("id %q accepted", id)
		}
	}
	if _, err := (&Chart{ID: "a", Bars: []Bar{{Label: "x", Value: -1}}}).Render(); err == nil {
		t.Error("negative value accepted")
	}
}

// TestRenderEmpty: no bars is still a valid, described chart.
func TestRenderEmpty(t *testing.T) {
	doc, err := (&Chart{ID: "e", Title: "Nothing"}).Render()
	if err != nil {
		t.Fatal(err)
	}
	if d := parse(t, doc).byID("e-desc"); d == nil || d.text != "No data." {
		t.Errorf("desc %+v", d)
	}
}

func TestScale(t *testing.T) {
	for _, tc := range []struct{ max, end, step int }{
		{0, 1, 1}, {1, 1, 1}, {4, 4, 1}, {5, 5, 1}, {6, 6, 2}, {9, 10, 2}, {11, 15, 5}, {40, 40, 10},
		{41, 50, 10}, {99, 100, 20}, {101, 150, 50}, {1234, 1500, 500},
	} {
		end, step := scale(tc.max)
		if end != tc.end || step != tc.step {
			t.Errorf("scale(%d) = %d, %d; want %d, %d", tc.max, end, step, tc.end, tc.step)
		}
	}
}

// TestRenderLanguage: a page in another language gives the chart its
// words and its number format; without them the English defaults stay.
func TestRenderLanguage(t *testing.T) {
	c := &Chart{
		ID: "fr", Title: "Dossiers", Desc: "Diagramme.",
		Number: func(v int) string { return "n" + strconv.Itoa(v) },
		Item:   func(label, text string) string { return label + " : " + text },
		NoData: "Aucune donnée.",
		Bars:   []Bar{{Label: "Est", Value: 12, Text: "12"}, {Label: "<b>", Value: 3, Text: "3"}},
	}
	svg, err := c.Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">n0</text>", ">n15</text>", "Diagramme. Est : 12; &lt;b&gt; : 3.</desc>"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("lacks %q:\n%s", want, svg)
		}
	}
	c.Bars = nil
	svg, _ = c.Render()
	if !strings.Contains(string(svg), "Diagramme. Aucune donnée.</desc>") {
		t.Errorf("empty chart: %s", svg)
	}
	svg, _ = (&Chart{ID: "en"}).Render()
	if !strings.Contains(string(svg), "No data.</desc>") || !strings.Contains(string(svg), ">0</text>") {
		t.Errorf("English defaults: %s", svg)
	}
}
