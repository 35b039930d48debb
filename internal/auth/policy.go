package auth

import (
	"bufio"
	_ "embed"
	"errors"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Password policy, after NIST SP 800-63B §5.1.1: a length floor, a generous
// ceiling, no composition rules (they push people to "Password1!"), and a
// block-list of passwords attackers try first.
const (
	// MinPasswordRunes: 12 characters, counted as runes after NFC, so "é"
	// counts once however it was typed.
	MinPasswordRunes = 12
	// MaxPasswordRunes: long passphrases and password-manager output must fit
	// (the issue requires at least 64); the cap only stops abuse.
	MaxPasswordRunes = 128
	// minLocalPartRunes: the "contains your email name" rule applies only to
	// local parts at least this long; a 1–2 letter local part ("jo@…") would
	// otherwise refuse most passwords for no security gain.
	minLocalPartRunes = 3
)

// Policy errors. The web layer maps each to a message beside the password
// field; they carry no part of the password.
var (
	ErrPasswordTooShort      = errors.New("password must be at least 12 characters")
	ErrPasswordTooLong       = errors.New("password must be at most 128 characters")
	ErrPasswordInvalid       = errors.New("password contains characters that cannot be typed (invalid text or control characters)")
	ErrPasswordCommon        = errors.New("password is too common; choose another")
	ErrPasswordContainsEmail = errors.New("password must not contain your email name")
)

//go:embed common_passwords.txt
var commonPasswordsText string

// commonSet is built once from the embedded list; it is read-only after, so
// sharing it between goroutines is safe (this is data, not configuration).
var commonSet = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 1024)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[foldPassword(line)] = struct{}{}
	}
	return set
})

// foldPassword is the form used for case-insensitive comparisons.
func foldPassword(s string) string {
	return strings.ToLower(norm.NFC.String(s))
}

// IsCommonPassword reports whether pw (case-insensitively) is on the embedded
// list of common passwords, or is one character repeated.
func IsCommonPassword(pw string) bool {
	f := foldPassword(pw)
	if _, ok := commonSet()[f]; ok {
		return true
	}
	// "aaaaaaaaaaaa", "111111111111111": not worth listing one by one.
	first, size := utf8.DecodeRuneInString(f)
	return size > 0 && strings.Count(f, string(first)) == utf8.RuneCountInString(f)
}

// CheckPassword applies the policy for a new password chosen for the account
// with the given email. It returns nil or one of the ErrPassword* errors.
// It never returns an error that contains the password.
func CheckPassword(password, email string) error {
	if !utf8.ValidString(password) {
		return ErrPasswordInvalid
	}
	for _, r := range password {
		// Control characters (NUL, newline, DEL, C1…) cannot be typed into a
		// password field; they come from broken clients or attacks on
		// downstream tools. Spaces and all printable Unicode are fine.
		if unicode.IsControl(r) {
			return ErrPasswordInvalid
		}
	}
	// Checked on bytes first so a 10 MB string is refused before NFC work.
	// The bound is loose on purpose: NFC can shrink input a lot (Hangul typed
	// as jamo: 9 bytes → 1 rune), so only the rune count below is the rule.
	if len(password) > maxVerifyBytes {
		return ErrPasswordTooLong
	}
	n := utf8.RuneCountInString(norm.NFC.String(password))
	if n < MinPasswordRunes {
		return ErrPasswordTooShort
	}
	if n > MaxPasswordRunes {
		return ErrPasswordTooLong
	}
	if IsCommonPassword(password) {
		return ErrPasswordCommon
	}
	if local := emailLocalPart(email); utf8.RuneCountInString(local) >= minLocalPartRunes &&
		strings.Contains(foldPassword(password), local) {
		return ErrPasswordContainsEmail
	}
	return nil
}

// emailLocalPart returns the folded part before the last "@" ("" when none).
func emailLocalPart(email string) string {
	email = strings.TrimSpace(email)
	i := strings.LastIndexByte(email, '@')
	if i <= 0 {
		return ""
	}
	return foldPassword(email[:i])
}
