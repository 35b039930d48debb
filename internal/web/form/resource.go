package form

import (
	"net/url"
	"regexp"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// ResourceForm is the resources editor's form (admin only).
type ResourceForm struct {
	Title, Category, Phone, URL, Description string
	read                                     *formReader
}

var ResourceFieldOrder = []string{"title", "category", "phone", "url", "description"}

// NewResourceForm reads the form with messages in English.
func NewResourceForm(vals url.Values) *ResourceForm {
	return NewResourceFormFor(i18n.For(i18n.English), vals)
}

// NewResourceFormFor reads the form with messages in lz's language.
func NewResourceFormFor(lz *i18n.Localizer, vals url.Values) *ResourceForm {
	fr := NewFormReaderFor(lz, vals)
	return &ResourceForm{
		Title:       fr.line("title", 200),
		Category:    fr.line("category", 40),
		Phone:       fr.line("phone", 40),
		URL:         fr.line("url", 500),
		Description: fr.Text("description", 2000),
		read:        fr,
	}
}

func ResourceFormFrom(r *store.Resource) *ResourceForm {
	return &ResourceForm{Title: r.Title, Category: r.Category, Phone: r.Phone, URL: r.URL, Description: r.Description}
}

// shortPhoneRe accepts service numbers too (911, 811, 1-800-222-8477).
var shortPhoneRe = regexp.MustCompile(`^\+?[0-9][0-9 ().\-]{1,38}$`)

func (f *ResourceForm) Validate() map[string]string {
	lz := f.read.lz
	errs := f.read.errorsWith()
	if f.Title == "" {
		SetIfNone(errs, "title", lz.T("Enter a title."))
	}
	if !InList(f.Category, store.ResourceCategories) {
		SetIfNone(errs, "category", lz.T("Choose a category."))
	}
	if f.Phone != "" && !shortPhoneRe.MatchString(f.Phone) {
		SetIfNone(errs, "phone", lz.T("Enter a phone number using digits, spaces, +, - and ( )."))
	}
	if f.URL != "" {
		u, err := url.Parse(f.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(f.URL, " <>\"'") {
			SetIfNone(errs, "url", lz.T("Enter a full web address starting with https://."))
		}
	}
	if f.Phone == "" && f.URL == "" {
		SetIfNone(errs, "phone", lz.T("Give a phone number or a web address."))
	}
	return errs
}

func (f *ResourceForm) Apply(r *store.Resource) {
	r.Title, r.Category, r.Phone, r.URL, r.Description = f.Title, f.Category, f.Phone, f.URL, f.Description
}
