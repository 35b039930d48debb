package form

import (
	"errors"
	"net/url"
	"strings"

	"lostinnl/internal/auth"
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// UserForm adds a staff user. The password is optional: left empty, one is
// generated and shown once. It is never echoed back into the form.
type UserForm struct {
	Email, DisplayName, Role string
	Password                 string
	read                     *formReader
	ParsedRole               store.Role
}

var UserFieldOrder = []string{"email", "display_name", "role", "password"}

// NewUserForm reads the form with messages in English.
func NewUserForm(vals url.Values) *UserForm { return NewUserFormFor(i18n.For(i18n.English), vals) }

// NewUserFormFor reads the form with messages in lz's language (the
// staff member's, once the admin area has one).
func NewUserFormFor(lz *i18n.Localizer, vals url.Values) *UserForm {
	fr := NewFormReaderFor(lz, vals)
	return &UserForm{
		Email:       auth.NormalizeEmail(fr.line("email", 254)),
		DisplayName: fr.line("display_name", 200),
		Role:        fr.line("role", 20),
		Password:    vals.Get("password"),
		read:        fr,
	}
}

func (f *UserForm) Validate() map[string]string {
	lz := f.read.lz
	errs := f.read.errorsWith()
	if f.Email == "" {
		SetIfNone(errs, "email", lz.T("Enter the person's email address."))
	} else if !ValidEmail(f.Email) {
		SetIfNone(errs, "email", lz.T("Enter an email address like name@example.com."))
	}
	role, err := auth.ParseRole(f.Role)
	if err != nil {
		SetIfNone(errs, "role", lz.T("Choose moderator or admin."))
	}
	f.ParsedRole = role
	if f.Password != "" {
		if msg := PasswordMessageFor(lz, auth.CheckPassword(f.Password, f.Email)); msg != "" {
			errs["password"] = msg
		}
	}
	return errs
}

// PasswordMessage turns a password-policy refusal into words for the
// form, in English.
func PasswordMessage(err error) string { return PasswordMessageFor(i18n.For(i18n.English), err) }

// PasswordMessageFor is PasswordMessage in lz's language.
func PasswordMessageFor(lz *i18n.Localizer, err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, auth.ErrPasswordTooShort):
		return lz.T("Use at least 12 characters. A few unrelated words make a good password.")
	case errors.Is(err, auth.ErrPasswordTooLong):
		return lz.T("Use at most 128 characters.")
	case errors.Is(err, auth.ErrPasswordCommon):
		return lz.T("This password is one of the most common ones, which attackers try first. Choose another.")
	case errors.Is(err, auth.ErrPasswordContainsEmail):
		return lz.T("The password must not contain the email name.")
	case errors.Is(err, auth.ErrPasswordInvalid):
		return lz.T("The password contains characters that cannot be typed.")
	}
	return lz.T("This password cannot be used. Choose another.")
}

// RoleOf parses a role from a form value ("" when unknown).
func RoleOf(s string) store.Role {
	r, err := auth.ParseRole(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return r
}
