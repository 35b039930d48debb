package form

import (
	"net/url"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// ContactForm is the general "contact the team" form.
type ContactForm struct {
	Name     string
	Email    string
	Subject  string
	Message  string
	Honeypot string
	read     *formReader
}

var ContactFieldOrder = []string{"name", "email", "subject", "message"}

// NewContactForm reads the form with messages in English.
func NewContactForm(vals url.Values) *ContactForm {
	return NewContactFormFor(i18n.For(i18n.English), vals)
}

// NewContactFormFor reads the form with messages in lz's language.
func NewContactFormFor(lz *i18n.Localizer, vals url.Values) *ContactForm {
	fr := NewFormReaderFor(lz, vals)
	return &ContactForm{
		Name:     fr.line("name", 100),
		Email:    fr.line("email", 254),
		Subject:  fr.line("subject", 150),
		Message:  fr.Text("message", 5000),
		Honeypot: vals.Get(honeypotField),
		read:     fr,
	}
}

func (f *ContactForm) Validate() map[string]string {
	lz := f.read.lz
	errs := f.read.errorsWith()
	if f.Name == "" {
		SetIfNone(errs, "name", lz.T("Enter your name."))
	}
	if f.Email == "" {
		SetIfNone(errs, "email", lz.T("Enter your email address so we can reply."))
	} else if !ValidEmail(f.Email) {
		SetIfNone(errs, "email", lz.T("Enter an email address like name@example.com."))
	}
	if f.Message == "" {
		SetIfNone(errs, "message", lz.T("Enter your message."))
	}
	return errs
}

func (f *ContactForm) StoreMessage() *store.Message {
	subject := f.Subject
	if subject == "" {
		subject = "(no subject)"
	}
	return &store.Message{Name: f.Name, Email: f.Email, Subject: subject, Body: f.Message}
}
