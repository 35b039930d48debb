package web

import (
	"net/url"

	"lostinnl/internal/store"
)

// contactForm is the general "contact the team" form.
type contactForm struct {
	Name     string
	Email    string
	Subject  string
	Message  string
	Honeypot string
	read     *formReader
}

var contactFieldOrder = []string{"name", "email", "subject", "message"}

func newContactForm(vals url.Values) *contactForm {
	fr := newFormReader(vals)
	return &contactForm{
		Name:     fr.line("name", 100),
		Email:    fr.line("email", 254),
		Subject:  fr.line("subject", 150),
		Message:  fr.text("message", 5000),
		Honeypot: vals.Get(honeypotField),
		read:     fr,
	}
}

func (f *contactForm) Validate() map[string]string {
	errs := f.read.errorsWith()
	if f.Name == "" {
		setIfNone(errs, "name", "Enter your name.")
	}
	if f.Email == "" {
		setIfNone(errs, "email", "Enter your email address so we can reply.")
	} else if !validEmail(f.Email) {
		setIfNone(errs, "email", "Enter an email address like name@example.com.")
	}
	if f.Message == "" {
		setIfNone(errs, "message", "Enter your message.")
	}
	return errs
}

func (f *contactForm) message() *store.Message {
	subject := f.Subject
	if subject == "" {
		subject = "(no subject)"
	}
	return &store.Message{Name: f.Name, Email: f.Email, Subject: subject, Body: f.Message}
}
