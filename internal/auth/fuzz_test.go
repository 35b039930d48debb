package auth

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fuzz targets for every parser of untrusted or stored text. Under plain
// `go test` they run their seeds; `go test -fuzz=FuzzX` explores further.

func FuzzParsePHC(f *testing.F) {
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$YzI5dFpYTmhiSFJ6WVd4ME1USQ$WkM4Rh4+gFZJVpcpZ9LFpHrFVBYv71qCFOg42Op37PA")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$Tkwtc2FsdC0xNmJ5dGVzIQ$r/zUMTFeQG6aj3dKTd6xppxOLe31aWW6/CfyFhFTUYk")
	f.Add("$argon2id$v=19$m=4294967295,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		ph, err := parsePHC(s)
		if err != nil {
			return
		}
		// Anything accepted is within the bounds that keep a verify cheap
		// enough, and re-encodes to exactly the input (no lenient parsing).
		if ph.params.Memory > maxParseMemory || ph.params.Time > maxParseTime || ph.params.Threads == 0 {
			t.Fatalf("accepted out-of-bounds params %+v", ph.params)
		}
		if got := encodePHC(ph.params, ph.salt, ph.key); got != s {
			t.Fatalf("accepted %q but it re-encodes as %q", s, got)
		}
	})
}

func FuzzCheckPassword(f *testing.F) {
	for _, s := range []string{"", "password1234", "tidewater-12", "\xff\xfe", "a\x00b", strings.Repeat("e\u0301", 12), "🐧🐋 whales and puffins"} {
		f.Add(s, "user@example.ca")
	}
	f.Fuzz(func(t *testing.T, pw, email string) {
		err := CheckPassword(pw, email)
		switch err {
		case nil:
		case ErrPasswordTooShort, ErrPasswordTooLong, ErrPasswordInvalid, ErrPasswordCommon, ErrPasswordContainsEmail:
			return // constant messages: they cannot carry the password
		default:
			t.Fatalf("unexpected error %v", err)
		}
		if !utf8.ValidString(pw) {
			t.Fatal("accepted invalid UTF-8")
		}
		if n := utf8.RuneCountInString(norm.NFC.String(pw)); n < MinPasswordRunes || n > MaxPasswordRunes {
			t.Fatalf("accepted %d runes", n)
		}
		if IsCommonPassword(pw) {
			t.Fatal("accepted a common password")
		}
	})
}

func FuzzConsumeRecoveryCode(f *testing.F) {
	codes, stored, err := GenerateRecoveryCodes()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(stored, codes[0])
	f.Add(stored, strings.ToUpper(codes[9]))
	f.Add("garbage$x\n$", "abcd-efgh-jk")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, stored, input string) {
		next, ok := ConsumeRecoveryCode(stored, input)
		if !ok {
			if next != stored {
				t.Fatal("refused but changed the stored value")
			}
			return
		}
		if strings.Count(next, "\n") != strings.Count(stored, "\n")-1 && !(next == "" && !strings.Contains(stored, "\n")) {
			t.Fatalf("accepted but did not remove exactly one line: %q → %q", stored, next)
		}
	})
}

func FuzzVerifyTOTP(f *testing.F) {
	f.Add("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "287082", int64(59), int64(0))
	f.Add("gezd gnbv gy3t qojq", "", int64(-1), int64(-1))
	f.Add("", "\xff", int64(1<<62), int64(1<<62))
	f.Fuzz(func(t *testing.T, secret, code string, unix, last int64) {
		now := time.Unix(unix%(1<<40), 0)
		step, err := VerifyTOTP(secret, code, now, last)
		if err != nil {
			return
		}
		cur := TOTPStep(now)
		if step <= last || step < cur-1 || step > cur+1 {
			t.Fatalf("accepted step %d (now %d, last used %d)", step, cur, last)
		}
		if normalizeCode(code) == "" {
			t.Fatalf("accepted malformed code %q", code)
		}
	})
}
