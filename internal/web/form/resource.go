package form

import (
	"lostinnl/internal/i18n"
	"net/url"
	"regexp"
	"strings"

	"lostinnl/internal/store"
)

// ResourceForm is the resources editor's form (admin only).
type ResourceForm struct {
	Title, Category, Phone, URL, Description string
	read                                     *formReader
}

var ResourceFieldOrder = []string{"title", "category", "phone", "url", "description"}

func NewResourceForm(vals url.Values) *ResourceForm {
	fr := NewFormReader(vals)
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
	errs := f.read.errorsWith()
	if f.Title == "" {
		SetIfNone(errs, "title", i18n.Mark("Enter a title."))
	}
	if !InList(f.Category, store.ResourceCategories) {
		SetIfNone(errs, "category", i18n.Mark("Choose a category."))
	}
	if f.Phone != "" && !shortPhoneRe.MatchString(f.Phone) {
		SetIfNone(errs, "phone", i18n.Mark("Enter a phone number using digits, spaces, +, - and ( )."))
	}
	if f.URL != "" {
		u, err := url.Parse(f.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(f.URL, " <>\"'") {
			SetIfNone(errs, "url", i18n.Mark("Enter a full web address starting with https://."))
		}
	}
	if f.Phone == "" && f.URL == "" {
		SetIfNone(errs, "phone", i18n.Mark("Give a phone number or a web address."))
	}
	return errs
}

func (f *ResourceForm) Apply(r *store.Resource) {
	r.Title, r.Category, r.Phone, r.URL, r.Description = f.Title, f.Category, f.Phone, f.URL, f.Description
}
