package form

import (
	"errors"
	"lostinnl/internal/i18n"
	"net/url"
	"strings"

	"lostinnl/internal/auth"
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

func NewUserForm(vals url.Values) *UserForm {
	fr := NewFormReader(vals)
	return &UserForm{
		Email:       auth.NormalizeEmail(fr.line("email", 254)),
		DisplayName: fr.line("display_name", 200),
		Role:        fr.line("role", 20),
		Password:    vals.Get("password"),
		read:        fr,
	}
}

func (f *UserForm) Validate() map[string]string {
	errs := f.read.errorsWith()
	if f.Email == "" {
		SetIfNone(errs, "email", i18n.Mark("Enter the person's email address."))
	} else if !ValidEmail(f.Email) {
		SetIfNone(errs, "email", i18n.Mark("Enter an email address like name@example.com."))
	}
	role, err := auth.ParseRole(f.Role)
	if err != nil {
		SetIfNone(errs, "role", i18n.Mark("Choose moderator or admin."))
	}
	f.ParsedRole = role
	if f.Password != "" {
		if msg := PasswordMessage(auth.CheckPassword(f.Password, f.Email)); msg != "" {
			errs["password"] = msg
		}
	}
	return errs
}

// PasswordMessage turns a password-policy refusal into words for the form
// (an English msgid: the handler translates it, see kit.TErrors).
func PasswordMessage(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, auth.ErrPasswordTooShort):
		return i18n.Mark("Use at least 12 characters. A few unrelated words make a good password.")
	case errors.Is(err, auth.ErrPasswordTooLong):
		return i18n.Mark("Use at most 128 characters.")
	case errors.Is(err, auth.ErrPasswordCommon):
		return i18n.Mark("This password is one of the most common ones, which attackers try first. Choose another.")
	case errors.Is(err, auth.ErrPasswordContainsEmail):
		return i18n.Mark("The password must not contain the email name.")
	case errors.Is(err, auth.ErrPasswordInvalid):
		return i18n.Mark("The password contains characters that cannot be typed.")
	}
	return i18n.Mark("This password cannot be used. Choose another.")
}

// RoleOf parses a role from a form value ("" when unknown).
func RoleOf(s string) store.Role {
	r, err := auth.ParseRole(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return r
}
