package form

import (
	"net/url"

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

func NewContactForm(vals url.Values) *ContactForm {
	fr := NewFormReader(vals)
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
	errs := f.read.errorsWith()
	if f.Name == "" {
		SetIfNone(errs, "name", "Enter your name.")
	}
	if f.Email == "" {
		SetIfNone(errs, "email", "Enter your email address so we can reply.")
	} else if !ValidEmail(f.Email) {
		SetIfNone(errs, "email", "Enter an email address like name@example.com.")
	}
	if f.Message == "" {
		SetIfNone(errs, "message", "Enter your message.")
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
