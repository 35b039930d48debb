package web

import (
	"errors"
	"net/url"
	"strings"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
)

// userForm adds a staff user. The password is optional: left empty, one is
// generated and shown once. It is never echoed back into the form.
type userForm struct {
	Email, DisplayName, Role string
	password                 string
	read                     *formReader
	role                     store.Role
}

var userFieldOrder = []string{"email", "display_name", "role", "password"}

func newUserForm(vals url.Values) *userForm {
	fr := newFormReader(vals)
	return &userForm{
		Email:       auth.NormalizeEmail(fr.line("email", 254)),
		DisplayName: fr.line("display_name", 200),
		Role:        fr.line("role", 20),
		password:    vals.Get("password"),
		read:        fr,
	}
}

func (f *userForm) Validate() map[string]string {
	errs := f.read.errorsWith()
	if f.Email == "" {
		setIfNone(errs, "email", "Enter the person's email address.")
	} else if !validEmail(f.Email) {
		setIfNone(errs, "email", "Enter an email address like name@example.com.")
	}
	role, err := auth.ParseRole(f.Role)
	if err != nil {
		setIfNone(errs, "role", "Choose moderator or admin.")
	}
	f.role = role
	if f.password != "" {
		if msg := passwordMessage(auth.CheckPassword(f.password, f.Email)); msg != "" {
			errs["password"] = msg
		}
	}
	return errs
}

// passwordMessage turns a password-policy refusal into words for the form.
func passwordMessage(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, auth.ErrPasswordTooShort):
		return "Use at least 12 characters. A few unrelated words make a good password."
	case errors.Is(err, auth.ErrPasswordTooLong):
		return "Use at most 128 characters."
	case errors.Is(err, auth.ErrPasswordCommon):
		return "This password is one of the most common ones, which attackers try first. Choose another."
	case errors.Is(err, auth.ErrPasswordContainsEmail):
		return "The password must not contain the email name."
	case errors.Is(err, auth.ErrPasswordInvalid):
		return "The password contains characters that cannot be typed."
	}
	return "This password cannot be used. Choose another."
}

// roleOf parses a role from a form value ("" when unknown).
func roleOf(s string) store.Role {
	r, err := auth.ParseRole(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return r
}
