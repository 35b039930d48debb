package auth

import (
	"regexp"
	"strings"
	"testing"
)

func TestRecoveryCodesSingleUse(t *testing.T) {
	codes, stored, err := GenerateRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != RecoveryCodeCount || RemainingRecoveryCodes(stored) != RecoveryCodeCount {
		t.Fatalf("%d codes, %d stored; want %d", len(codes), RemainingRecoveryCodes(stored), RecoveryCodeCount)
	}
	format := regexp.MustCompile(`^[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{2}$`)
	seen := map[string]bool{}
	for _, c := range codes {
		if !format.MatchString(c) {
			t.Errorf("code %q has the wrong format", c)
		}
		if seen[c] {
			t.Errorf("duplicate code %q", c)
		}
		seen[c] = true
		if strings.Contains(stored, c) || strings.Contains(stored, strings.ReplaceAll(c, "-", "")) {
			t.Fatal("stored value contains a plaintext code")
		}
	}

	// Each code works once, in any order; typed variants are accepted.
	cur := stored
	for i, c := range codes {
		in := c
		switch i % 3 {
		case 1:
			in = strings.ToUpper(c)
		case 2:
			in = " " + strings.ReplaceAll(c, "-", " ") + " "
		}
		next, ok := ConsumeRecoveryCode(cur, in)
		if !ok {
			t.Fatalf("code %d (%q) refused", i, in)
		}
		if RemainingRecoveryCodes(next) != RecoveryCodeCount-i-1 {
			t.Fatalf("after %d uses, %d remain", i+1, RemainingRecoveryCodes(next))
		}
		if again, ok := ConsumeRecoveryCode(next, c); ok || again != next {
			t.Fatalf("code %d accepted twice", i)
		}
		cur = next
	}
	if cur != "" {
		t.Errorf("all used, stored = %q; want empty", cur)
	}
}

func TestRecoveryCodeHostileInput(t *testing.T) {
	codes, stored, err := GenerateRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := GenerateRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]string{
		"empty":              "",
		"another user's":     other[0],
		"truncated":          codes[0][:len(codes[0])-1],
		"extra char":         codes[0] + "a",
		"NUL":                codes[0] + "\x00",
		"invalid UTF-8":      "\xff" + codes[0],
		"10KB":               strings.Repeat(codes[0], 1000),
		"ambiguous letters":  "oooo-iiii-ll",
		"stored line itself": strings.Split(stored, "\n")[0],
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			got, ok := ConsumeRecoveryCode(stored, in)
			if ok || got != stored {
				t.Fatalf("accepted or changed stored value")
			}
		})
	}
	// Garbage in the stored value never matches and is not lost.
	garbage := "not a line\n$\n%%%$%%%\n" + stored
	got, ok := ConsumeRecoveryCode(garbage, codes[3])
	if !ok || !strings.HasPrefix(got, "not a line\n$\n%%%$%%%\n") {
		t.Fatalf("with garbage lines: ok=%v, got=%q", ok, got)
	}
	if _, ok := ConsumeRecoveryCode("", codes[0]); ok {
		t.Fatal("empty stored value accepted a code")
	}
}
