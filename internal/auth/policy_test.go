package auth

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckPassword(t *testing.T) {
	const email = "Kathleen.Pardy@example.ca"
	tests := []struct {
		name, pw string
		want     error
	}{
		{"empty", "", ErrPasswordTooShort},
		{"11 chars", "tidewater-1", ErrPasswordTooShort},
		{"12 chars", "tidewater-12", nil},
		{"12 runes but more bytes", "éèêëāăąćĉċčď", nil},
		{"11 runes decomposed to 22", strings.Repeat("e\u0301", 11), ErrPasswordTooShort},
		{"12 runes decomposed", decomposed("aeiouyAEIOUY"), nil},
		{"64 chars", strings.Repeat("wave", 16), nil},
		{"128 chars", strings.Repeat("fog and rock", 10) + "icebergs", nil},
		{"129 chars", strings.Repeat("fog and rock", 10) + "icebergs!", ErrPasswordTooLong},
		{"10KB", strings.Repeat("x7", 5*1024), ErrPasswordTooLong},
		{"128 Hangul syllables typed as jamo (1152 bytes)", strings.Repeat("\u1100\u1161\u11a8", 64) + strings.Repeat("\u1102\u1161\u11ab", 64), nil},
		{"129 Hangul syllables typed as jamo", strings.Repeat("\u1100\u1161\u11a8", 65) + strings.Repeat("\u1102\u1161\u11ab", 64), ErrPasswordTooLong},
		{"no composition rules: all lower letters", "wharfsidefogbells", nil},
		{"spaces allowed", "puffins over the bay", nil},
		{"emoji allowed", "🐧🐋 whales and puffins", nil},
		{"invalid UTF-8", "good long pass\xff", ErrPasswordInvalid},
		{"NUL byte", "good long pass\x00word", ErrPasswordInvalid},
		{"newline", "good long pass\nword", ErrPasswordInvalid},
		{"tab", "good long\tpassword", ErrPasswordInvalid},
		{"C1 control", "good long pass\u0085word", ErrPasswordInvalid},
		{"common", "password1234", ErrPasswordCommon},
		{"common, other case", "PassWord1234", ErrPasswordCommon},
		{"common keyboard walk", "qwertyuiop123", ErrPasswordCommon},
		{"common local", "Newfoundland123", ErrPasswordCommon},
		{"site name", "MissingPersonsNL", ErrPasswordCommon},
		{"one char repeated", "zzzzzzzzzzzzzz", ErrPasswordCommon},
		{"one char repeated non-ASCII", strings.Repeat("ä", 14), ErrPasswordCommon},
		{"contains email local part", "my kathleen.pardy pw!", ErrPasswordContainsEmail},
		{"contains email local part, other case", "KATHLEEN.PARDY-2026", ErrPasswordContainsEmail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(tt.pw, email); got != tt.want {
				t.Fatalf("CheckPassword(%q) = %v; want %v", tt.pw, got, tt.want)
			}
		})
	}
}

// decomposed puts a combining acute accent after every letter of s.
func decomposed(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
		b.WriteRune('\u0301')
	}
	return b.String()
}

func TestCheckPasswordShortOrOddEmail(t *testing.T) {
	// A 2-letter local part does not refuse every password containing it.
	if err := CheckPassword("jo jo jo jo jo jo", "jo@example.ca"); err != nil {
		t.Errorf("short local part: %v", err)
	}
	for _, email := range []string{"", "@", "no-at-sign", "@example.ca", "a@b@c", "\xff@example.ca"} {
		if err := CheckPassword("harbour lights tonight", email); err != nil {
			t.Errorf("email %q: %v", email, err)
		}
	}
	// Last "@" splits: local part "a@b" is 3 runes.
	if err := CheckPassword("xx a@b harbour lights", "a@b@example.ca"); err != ErrPasswordContainsEmail {
		t.Errorf("local part with @: %v", err)
	}
}

func TestCommonListIsUsable(t *testing.T) {
	set := commonSet()
	if len(set) < 300 {
		t.Fatalf("common list has %d entries; want a few hundred", len(set))
	}
	for pw := range set {
		if utf8.RuneCountInString(pw) < MinPasswordRunes {
			t.Errorf("entry %q is shorter than the minimum: useless", pw)
		}
		if pw != foldPassword(pw) {
			t.Errorf("entry %q is not folded", pw)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		pw, err := GeneratePassword()
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != GeneratedPasswordLen {
			t.Fatalf("len(%q) = %d", pw, len(pw))
		}
		if strings.ContainsAny(pw, "0O1lIio") {
			t.Fatalf("%q contains an ambiguous character", pw)
		}
		if err := CheckPassword(pw, "someone@example.ca"); err != nil {
			t.Fatalf("generated %q fails policy: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("duplicate generated password %q", pw)
		}
		seen[pw] = true
	}
}

func TestRandomStringUniform(t *testing.T) {
	// Every symbol of a 31-symbol alphabet appears, and none wildly more than
	// others (the rejection sampling removes modulo bias). The bound is loose:
	// this catches a broken sampler, not statistical subtleties.
	const n = 31 * 2000
	s, err := randomString(recoveryAlphabet, n)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[rune]int{}
	for _, r := range s {
		counts[r]++
	}
	if len(counts) != len(recoveryAlphabet) {
		t.Fatalf("%d distinct symbols; want %d", len(counts), len(recoveryAlphabet))
	}
	for r, c := range counts {
		if c < 1500 || c > 2500 {
			t.Errorf("symbol %q drawn %d times; expected about 2000", r, c)
		}
	}
	if _, err := randomString("", 3); err == nil {
		t.Error("empty alphabet accepted")
	}
}
