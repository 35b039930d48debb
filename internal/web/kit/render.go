package kit

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"lostinnl/internal/i18n"
)

//go:embed all:templates
var TemplateFS embed.FS

// Renderer holds every page template ("all:" above because embed skips
// files starting with "_" otherwise). Each page is its own template set:
// the shared files (names starting with "_") plus the page file, which
// defines "content" (and may redefine other blocks).
//
// The pages are parsed once per language (NewLangRenderer), each set with
// template functions bound to that language's Localizer: html/template
// cannot re-bind functions or clone a set once it has run. The admin area
// is parsed per language too: staff read it in the language of their
// account (see staff.Handler.Session).
//
// A page's set is built the first time it is rendered, not at start-up:
// a set holds its own copy of every shared template (html/template's Clone
// copies the trees), so building every page of every language up front
// cost 12 MB of heap for English alone and as much again for French (the
// report of issue 18), most of it for pages a server never shows — the
// admin area on a public instance, the French forms before a French
// visitor. Start-up still reads every file (a syntax error stops it
// there), and the tests build every set of every language.
type Renderer struct {
	langs map[i18n.Lang]map[string]*lazyPage // "case.html", "admin/cases.html"
	bufs  sync.Pool
	// fixed holds fragments whose output can never change while the
	// process runs (see fixedFragment), keyed by page and template name.
	fixed sync.Map
}

// lazyPage is one page's set in one language, built on first use from
// its directory's shared set (never executed itself, so it can be cloned).
type lazyPage struct {
	once  sync.Once
	base  *template.Template
	fsys  fs.FS
	file  string
	funcs template.FuncMap // for foldMessages and foldEscaped
	t     *template.Template
	err   error

	// mu and ready: see entry.
	mu    sync.Mutex
	ready sync.Map // entry template name → struct{}
}

// entry is the page's set, ready to execute template name: escaped by
// html/template and its constant actions folded (foldEscaped). The first
// caller for a name escapes it on purpose, by executing it without data
// (html/template escapes everything the template reaches before it runs;
// the run itself stops at the first field), under mu, before anyone
// executes it. Every execution of the set goes through here, so the trees
// foldEscaped rewrites are ones nobody is running yet.
func (p *lazyPage) entry(name string) (*template.Template, error) {
	t, err := p.get()
	if err != nil {
		return nil, err
	}
	if _, ok := p.ready.Load(name); ok {
		return t, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.ready.Load(name); !ok {
		_ = t.ExecuteTemplate(io.Discard, name, nil) // the escaping; its error comes back from the real run
		foldEscaped(t, p.funcs)
		p.ready.Store(name, struct{}{})
	}
	return t, nil
}

func (p *lazyPage) get() (*template.Template, error) {
	p.once.Do(func() {
		t, err := p.base.Clone()
		if err == nil {
			t, err = t.ParseFS(p.fsys, p.file)
		}
		if err == nil && (t.Lookup("layout") == nil || t.Lookup("content") == nil) {
			err = fmt.Errorf("needs templates \"layout\" and \"content\"")
		}
		if err != nil {
			p.err = fmt.Errorf("web: %s: %w", p.file, err)
			return
		}
		foldMessages(t, p.funcs) // the page file's messages; the shared ones are folded already
		p.t, p.base, p.fsys = t, nil, nil
	})
	return p.t, p.err
}

func NewRenderer(fsys fs.FS, funcs template.FuncMap) (*Renderer, error) {
	return NewLangRenderer(fsys, funcs, nil)
}

// NewLangRenderer is NewRenderer with one set of pages per language:
// langFuncs(l) adds (or overrides) the functions bound to l; English is
// always there (with langFuncs(English) too).
func NewLangRenderer(fsys fs.FS, funcs template.FuncMap, langFuncs func(i18n.Lang) template.FuncMap, langs ...i18n.Lang) (*Renderer, error) {
	r := &Renderer{langs: map[i18n.Lang]map[string]*lazyPage{}}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	for _, l := range append([]i18n.Lang{i18n.English}, langs...) {
		if r.langs[l] != nil {
			continue
		}
		pages, err := parsePages(fsys, merged(funcs, langFuncs, l))
		if err != nil {
			return nil, fmt.Errorf("web: %s: %w", l, err)
		}
		if len(pages) == 0 {
			return nil, fmt.Errorf("web: no page templates found")
		}
		r.langs[l] = pages
	}
	return r, nil
}

// BuildAll builds every page's set in every language now, reporting the
// first error: for tests, which thereby prove no page fails on first use.
func (r *Renderer) BuildAll() error {
	for l, pages := range r.langs {
		for name, p := range pages {
			if _, err := p.get(); err != nil {
				return fmt.Errorf("%s %s: %w", l, name, err)
			}
		}
	}
	return nil
}

func merged(funcs template.FuncMap, langFuncs func(i18n.Lang) template.FuncMap, l i18n.Lang) template.FuncMap {
	if langFuncs == nil {
		return funcs
	}
	out := template.FuncMap{}
	for k, v := range funcs {
		out[k] = v
	}
	for k, v := range langFuncs(l) {
		out[k] = v
	}
	return out
}

// page is the template set of name in language l (English when l has
// no sets of its own), ready to execute template entry.
func (r *Renderer) page(l i18n.Lang, name, entry string) (*template.Template, error) {
	pages := r.langs[l]
	if pages == nil {
		pages = r.langs[i18n.English]
	}
	p := pages[name]
	if p == nil {
		return nil, fmt.Errorf("render: no template %q", name)
	}
	return p.entry(entry)
}

// parsePages parses the shared files of fsys's templates directory and
// its subdirectories (the admin area) with funcs, and checks each page
// file on its own; the pages' sets are built on first use (lazyPage).
func parsePages(fsys fs.FS, funcs template.FuncMap) (map[string]*lazyPage, error) {
	pages := map[string]*lazyPage{}
	// Directory → its parsed shared set; a subdirectory (templates/admin)
	// inherits the parent's shared files and may add or redefine its own.
	shared := map[string]*template.Template{}
	var dirs []string
	err := fs.WalkDir(fsys, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("web: walk templates: %w", err)
	}
	sort.Strings(dirs) // parents before children
	for _, dir := range dirs {
		var base *template.Template
		if parent, ok := shared[path.Dir(dir)]; ok && dir != "templates" {
			base, err = parent.Clone()
			if err != nil {
				return nil, fmt.Errorf("web: clone templates for %s: %w", dir, err)
			}
		} else {
			base = template.New("").Funcs(funcs)
		}
		partials, err := fs.Glob(fsys, dir+"/_*.html")
		if err != nil {
			return nil, err
		}
		if len(partials) > 0 {
			if base, err = base.ParseFS(fsys, partials...); err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", dir, err)
			}
		}
		foldMessages(base, funcs)
		shared[dir] = base
		files, err := fs.Glob(fsys, dir+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if strings.HasPrefix(path.Base(f), "_") {
				continue
			}
			// The file alone: its syntax and function names, and the
			// content block every page defines. The copy is dropped.
			alone, err := template.New("").Funcs(funcs).ParseFS(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", f, err)
			}
			if alone.Lookup("content") == nil || base.Lookup("layout") == nil {
				return nil, fmt.Errorf("web: %s: needs templates \"layout\" and \"content\"", f)
			}
			pages[strings.TrimPrefix(f, "templates/")] = &lazyPage{base: base, fsys: fsys, file: f, funcs: funcs}
		}
	}
	return pages, nil
}

// Page renders name into a buffer and only then writes the status and the
// body, so a template error becomes a clean error page instead of half a
// page under a 200.
func (r *Renderer) Page(w http.ResponseWriter, status int, name string, data *Page) error {
	t, err := r.page(data.Lang, name, "layout")
	if err != nil {
		return err
	}
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() < 1<<20 { // do not keep huge buffers alive in the pool
			r.bufs.Put(buf)
		}
	}()
	if t.Lookup("layout-top") != nil {
		// The page chrome depends on these three fields only, all set by
		// handlers from constants: a handful of forms per page.
		// The language too, which picks the template set.
		chrome := &Page{Nav: data.Nav, Print: data.Print, Demo: data.Demo, Lang: data.Lang}
		key := chrome.Nav + "\x00" + strconv.FormatBool(chrome.Print) + strconv.FormatBool(chrome.Demo)
		var err error
		if data.Top, err = r.VariantLang(data.Lang, name, "layout-top", key, func() any { return chrome }); err != nil {
			return err
		}
		if data.Foot, err = r.VariantLang(data.Lang, name, "layout-foot", key, func() any { return chrome }); err != nil {
			return err
		}
	}
	data.fillHead()
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	if hd.Get("Cache-Control") == "" {
		hd.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a write error means the client left
	return nil
}

// FixedFragment renders template name of page with data() once and then
// returns the same HTML for the life of the process. Only for fragments
// whose data is built from constants (never from a request, a user or the
// database): the result is trusted HTML, so anything variable in it would
// escape html/template's escaping. The escaping of the fragment itself is
// still html/template's, done in the HTML text context, which is where the
// caller must print it. Two first calls racing render it twice, harmlessly.
func (r *Renderer) FixedFragment(page, name string, data func() any) (template.HTML, error) {
	return r.Variant(page, name, "", data)
}

// Variant is FixedFragment for a fragment with a few forms: key names the
// form (data() must depend on nothing else), and each form is rendered
// once. The caller bounds the keys (a select's canonical values, never
// free text), since every form is kept for the life of the process.
func (r *Renderer) Variant(page, name, variant string, data func() any) (template.HTML, error) {
	return r.VariantLang(i18n.English, page, name, variant, data)
}

// VariantLang is Variant in language l.
func (r *Renderer) VariantLang(l i18n.Lang, page, name, variant string, data func() any) (template.HTML, error) {
	key := string(l) + "\x00" + page + "\x00" + name + "\x00" + variant
	if f, ok := r.fixed.Load(key); ok {
		return f.(template.HTML), nil
	}
	t, err := r.page(l, page, name)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data()); err != nil {
		return "", fmt.Errorf("render %s %s: %w", page, name, err)
	}
	f := template.HTML(buf.String()) // built from constants only, see above
	r.fixed.Store(key, f)
	return f, nil
}

// Fragment renders template name of page with data, for a part of a page
// built outside the page's own template (see CardList).
func (r *Renderer) Fragment(page, name string, data any) (template.HTML, error) {
	return r.FragmentLang(i18n.English, page, name, data)
}

// FragmentLang is Fragment in language l.
func (r *Renderer) FragmentLang(l i18n.Lang, page, name string, data any) (template.HTML, error) {
	t, err := r.page(l, page, name)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("render %s %s: %w", page, name, err)
	}
	return template.HTML(buf.String()), nil // escaped by html/template itself
}

// Page is the view model every template gets; Data holds the page's own.
type Page struct {
	Title       string // without the site name
	Description string // meta description
	Nav         string // which main-nav item is current
	Canonical   string // absolute URL
	OG          *OpenGraph
	Demo        bool
	NoIndex     bool
	Print       bool // add the poster print stylesheet
	RequestID   string
	// Lang is the page's language (the request's, see LangFrom); Langs
	// the links to its versions in both languages (hreflang and the
	// switch), nil where a page has none; SuggestFrench shows the home
	// page's offer of the French site.
	Lang          i18n.Lang
	Langs         *LangLinks
	SuggestFrench bool
	Data          any
	// Top and Foot are the layout around the content for Nav, Print and
	// Demo; Head the head's description, robots, canonical, hreflang and
	// Open Graph lines and Switch the language switch, from the fields
	// above: all filled by Renderer.Page.
	Top, Foot, Head, Switch template.HTML
}

// fillHead writes p.Head and p.Switch in Go (Markup) rather than in the
// layout: some twenty values a page, each a reflective escaper call there.
func (p *Page) fillHead() {
	var m Markup
	if p.Description != "" {
		m.Raw(`<meta name="description" content="`)
		m.Text(p.Description)
		m.Raw("\">\n")
	}
	if p.NoIndex {
		m.Raw("<meta name=\"robots\" content=\"noindex\">\n")
	}
	if p.Canonical != "" {
		m.Raw(`<link rel="canonical" href="`)
		m.URL(p.Canonical)
		m.Raw("\">\n")
	}
	if l := p.Langs; l != nil && !p.NoIndex {
		m.Raw(`<link rel=alternate hreflang=en href="`)
		m.URL(l.English)
		m.Raw("\">\n<link rel=alternate hreflang=fr href=\"")
		m.URL(l.French)
		m.Raw("\">\n<link rel=alternate hreflang=x-default href=\"")
		m.URL(l.English)
		m.Raw("\">\n")
	}
	if og := p.OG; og != nil {
		m.Raw(`<meta property="og:site_name" content="`)
		m.Text(i18n.For(p.Lang).T("Missing Persons NL"))
		for _, f := range [...]struct{ prop, v string }{{"type", og.Type}, {"title", og.Title}, {"description", og.Description}, {"url", og.URL}} {
			m.Raw("\">\n<meta property=\"og:")
			m.Raw(f.prop)
			m.Raw(`" content="`)
			m.Text(f.v)
		}
		m.Raw("\">\n")
		if og.Image != "" {
			m.Raw(`<meta property="og:image" content="`)
			m.Text(og.Image)
			m.Raw("\">\n")
			if og.ImageWidth != 0 {
				m.Raw(`<meta property="og:image:width" content="`)
				m.Int(og.ImageWidth)
				m.Raw("\">\n")
			}
			if og.ImageHeight != 0 {
				m.Raw(`<meta property="og:image:height" content="`)
				m.Int(og.ImageHeight)
				m.Raw("\">\n")
			}
			m.Raw(`<meta property="og:image:alt" content="`)
			m.Text(og.ImageAlt)
			m.Raw("\">\n<meta name=\"twitter:card\" content=\"summary_large_image\">\n")
		} else {
			m.Raw("<meta name=\"twitter:card\" content=\"summary\">\n")
		}
	}
	p.Head = m.HTML()
	if l := p.Langs; l != nil {
		var sw Markup
		sw.Raw(`<p class="lang-switch"><a href="`)
		sw.URL(l.Switch)
		sw.Raw(`" hreflang="`)
		sw.Text(l.SwitchLang)
		sw.Raw(`" lang="`)
		sw.Text(l.SwitchLang)
		sw.Raw(`">`)
		sw.Text(l.SwitchLabel)
		sw.Raw("</a></p>\n")
		p.Switch = sw.HTML()
	}
}

type OpenGraph struct {
	Title, Description, URL, Image, ImageAlt, Type string
	// ImageWidth and ImageHeight, when set, let link previews lay the
	// picture out before fetching it (og:image:width/height).
	ImageWidth, ImageHeight int
}

// Page starts the view model for r with what every page needs.
func (h *Env) Page(r *http.Request, title string) *Page {
	return &Page{
		Title:         title,
		Demo:          h.Demo,
		RequestID:     h.RequestID(r.Context()),
		Lang:          LangFrom(r.Context()),
		Langs:         h.languageLinks(r),
		SuggestFrench: SuggestFrench(r),
	}
}

// html renders a full page with status and the given cache policy.
func (h *Env) HTML(w http.ResponseWriter, status int, cache, name string, p *Page) error {
	if cache != "" {
		w.Header().Set("Cache-Control", cache)
	}
	return h.Render.Page(w, status, name, p)
}

const (
	CacheShort  = "public, max-age=60"  // listings and case pages: fresh within a minute
	CacheStatic = "public, max-age=300" // about, privacy, resources
	CacheNone   = "no-store"            // forms, confirmations, errors
)
