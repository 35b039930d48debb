package web

import (
	"net/url"
	"regexp"
	"strings"

	"lostinnl/internal/store"
)

// resourceForm is the resources editor's form (admin only).
type resourceForm struct {
	Title, Category, Phone, URL, Description string
	read                                     *formReader
}

var resourceFieldOrder = []string{"title", "category", "phone", "url", "description"}

func newResourceForm(vals url.Values) *resourceForm {
	fr := newFormReader(vals)
	return &resourceForm{
		Title:       fr.line("title", 200),
		Category:    fr.line("category", 40),
		Phone:       fr.line("phone", 40),
		URL:         fr.line("url", 500),
		Description: fr.text("description", 2000),
		read:        fr,
	}
}

func resourceFormFrom(r *store.Resource) *resourceForm {
	return &resourceForm{Title: r.Title, Category: r.Category, Phone: r.Phone, URL: r.URL, Description: r.Description}
}

// shortPhoneRe accepts service numbers too (911, 811, 1-800-222-8477).
var shortPhoneRe = regexp.MustCompile(`^\+?[0-9][0-9 ().\-]{1,38}$`)

func (f *resourceForm) Validate() map[string]string {
	errs := f.read.errorsWith()
	if f.Title == "" {
		setIfNone(errs, "title", "Enter a title.")
	}
	if !inList(f.Category, store.ResourceCategories) {
		setIfNone(errs, "category", "Choose a category.")
	}
	if f.Phone != "" && !shortPhoneRe.MatchString(f.Phone) {
		setIfNone(errs, "phone", "Enter a phone number using digits, spaces, +, - and ( ).")
	}
	if f.URL != "" {
		u, err := url.Parse(f.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(f.URL, " <>\"'") {
			setIfNone(errs, "url", "Enter a full web address starting with https://.")
		}
	}
	if f.Phone == "" && f.URL == "" {
		setIfNone(errs, "phone", "Give a phone number or a web address.")
	}
	return errs
}

func (f *resourceForm) apply(r *store.Resource) {
	r.Title, r.Category, r.Phone, r.URL, r.Description = f.Title, f.Category, f.Phone, f.URL, f.Description
}

// resourceView is the data of admin/resource.html (new and edit).
type resourceView struct {
	ID         int64 // 0 = new
	Form       *resourceForm
	Errors     map[string]string
	Order      []string
	Categories []string
	Notice     string
}
