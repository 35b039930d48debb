package kit

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
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

// Renderer holds every page template, parsed once at start-up ("all:" above
// because embed skips files starting with "_" otherwise). Each page is
// its own template set: the shared files (names starting with "_") plus the
// page file, which defines "content" (and may redefine other blocks).
//
// The public pages are parsed once per language (NewLangRenderer), each
// set with template functions bound to that language's Localizer: html/
// template cannot re-bind functions or clone a set once it has run, and a
// set per language costs only memory at start-up (see the report of issue
// 18 for the figure). The admin area is parsed per language too: its
// pages follow the request's language (kit.LangFrom) like the rest.
type Renderer struct {
	pages map[string]*template.Template // "case.html", "admin/cases.html"
	// langPages are the public pages of the languages other than English,
	// by language; a page missing there is rendered in English.
	langPages map[i18n.Lang]map[string]*template.Template
	bufs      sync.Pool
	// fixed holds fragments whose output can never change while the
	// process runs (see fixedFragment), keyed by page and template name.
	fixed sync.Map
}

func NewRenderer(fsys fs.FS, funcs template.FuncMap) (*Renderer, error) {
	return NewLangRenderer(fsys, funcs, nil)
}

// NewLangRenderer is NewRenderer with one set of public pages per
// language: langFuncs(l) adds (or overrides) the functions bound to l;
// English is always parsed (with langFuncs(English) too), and every
// language gets the admin directories as well.
func NewLangRenderer(fsys fs.FS, funcs template.FuncMap, langFuncs func(i18n.Lang) template.FuncMap, langs ...i18n.Lang) (*Renderer, error) {
	r := &Renderer{}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	var err error
	if r.pages, err = parsePages(fsys, merged(funcs, langFuncs, i18n.English), true); err != nil {
		return nil, err
	}
	if len(r.pages) == 0 {
		return nil, fmt.Errorf("web: no page templates found")
	}
	for _, l := range langs {
		if l == i18n.English {
			continue
		}
		pages, err := parsePages(fsys, merged(funcs, langFuncs, l), true)
		if err != nil {
			return nil, fmt.Errorf("web: %s: %w", l, err)
		}
		if r.langPages == nil {
			r.langPages = map[i18n.Lang]map[string]*template.Template{}
		}
		r.langPages[l] = pages
	}
	return r, nil
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
// none of its own).
func (r *Renderer) page(l i18n.Lang, name string) *template.Template {
	if l != i18n.English {
		if t := r.langPages[l][name]; t != nil {
			return t
		}
	}
	return r.pages[name]
}

// parsePages parses every page of fsys's templates directory with funcs;
// subdirectories (the admin area) only when sub is true.
func parsePages(fsys fs.FS, funcs template.FuncMap, sub bool) (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
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
		if !sub && dir != "templates" {
			continue
		}
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
		shared[dir] = base
		files, err := fs.Glob(fsys, dir+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if strings.HasPrefix(path.Base(f), "_") {
				continue
			}
			t, err := base.Clone()
			if err != nil {
				return nil, fmt.Errorf("web: clone templates for %s: %w", f, err)
			}
			if t, err = t.ParseFS(fsys, f); err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", f, err)
			}
			if t.Lookup("layout") == nil || t.Lookup("content") == nil {
				return nil, fmt.Errorf("web: %s: needs templates \"layout\" and \"content\"", f)
			}
			pages[strings.TrimPrefix(f, "templates/")] = t
		}
	}
	return pages, nil
}

// Page renders name into a buffer and only then writes the status and the
// body, so a template error becomes a clean error page instead of half a
// page under a 200.
func (r *Renderer) Page(w http.ResponseWriter, status int, name string, data *Page) error {
	t := r.page(data.Lang, name)
	if t == nil {
		return fmt.Errorf("render: no template %q", name)
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
	t := r.page(l, page)
	if t == nil {
		return "", fmt.Errorf("render: no template %q", page)
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
	t := r.page(l, page)
	if t == nil {
		return "", fmt.Errorf("render: no template %q", page)
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
	// Demo, filled by Renderer.Page.
	Top, Foot template.HTML
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
