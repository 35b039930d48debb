package config

import (
	"fmt"
	"strings"
)

// maxFileSize bounds the --config file: a real one is a few KB, and anything
// huge is a mistake (a wrong path to a binary or a log).
const maxFileSize = 1 << 20

// parseFile reads KEY=VALUE lines, in the subset of shell/systemd
// EnvironmentFile syntax people actually write:
//
//	# comment
//	LOSTINNL_ADDR=:8080
//	export LOSTINNL_LOG_FORMAT=json
//	LOSTINNL_DATABASE_URL="mysql://app:p#ss@tcp(db:3306)/lostinnl"   # trailing comment
//	LOSTINNL_BASE_URL='https://example.ca'
//
// Double quotes allow \" and \\ escapes; single quotes are literal; an
// unquoted value ends at " #". Keys that do not start with LOSTINNL_ are
// ignored so the same file can serve as a systemd EnvironmentFile holding
// AWS_REGION and the like; an unknown LOSTINNL_ key is an error, because a
// misspelt key would otherwise silently fall back to its default. Messages
// never quote values: the file may hold secrets.
func parseFile(name string, data []byte) (map[string]string, error) {
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("--config: %q is larger than 1 MiB; is it the right file?", name)
	}
	vals := map[string]string{}
	lineOf := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if i == 0 {
			line = strings.TrimPrefix(line, "\uFEFF") // BOM from Windows editors
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "export "); ok {
			line = strings.TrimSpace(rest)
		}
		k, raw, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || !validKeyName(k) {
			return nil, fmt.Errorf("--config %q line %d: not a KEY=VALUE line", name, n)
		}
		v, err := unquote(strings.TrimSpace(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %v (config file %q line %d)", k, err, name, n)
		}
		if !strings.HasPrefix(k, "LOSTINNL_") {
			continue
		}
		if !isKnown(k) {
			msg := fmt.Sprintf("%s: unknown key (config file %q line %d)", k, name, n)
			if strings.HasSuffix(k, EncryptedSuffix) {
				msg += "; only " + strings.Join(SecretKeyNames(), ", ") + " may be given encrypted"
			} else if s := suggest(k); s != "" {
				msg += "; did you mean " + s + "?"
			}
			return nil, fmt.Errorf("%s", msg)
		}
		if prev, dup := lineOf[k]; dup {
			return nil, fmt.Errorf("%s: set twice in config file %q (lines %d and %d)", k, name, prev, n)
		}
		lineOf[k] = n
		vals[k] = v
	}
	return vals, nil
}

func validKeyName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		b := k[i]
		if !(b == '_' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || i > 0 && b >= '0' && b <= '9') {
			return false
		}
	}
	return true
}

func unquote(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var b strings.Builder
		for i := 1; i < len(raw); i++ {
			c := raw[i]
			switch {
			case c == '\\' && i+1 < len(raw) && (raw[i+1] == '"' || raw[i+1] == '\\'):
				b.WriteByte(raw[i+1])
				i++
			case c == '"':
				if err := trailing(raw[i+1:]); err != nil {
					return "", err
				}
				return b.String(), nil
			default:
				b.WriteByte(c)
			}
		}
		return "", fmt.Errorf("missing closing double quote")
	case '\'':
		end := strings.IndexByte(raw[1:], '\'')
		if end < 0 {
			return "", fmt.Errorf("missing closing single quote")
		}
		if err := trailing(raw[end+2:]); err != nil {
			return "", err
		}
		return raw[1 : end+1], nil
	}
	if i := strings.Index(raw, " #"); i >= 0 {
		raw = raw[:i]
	}
	if i := strings.Index(raw, "\t#"); i >= 0 {
		raw = raw[:i]
	}
	return strings.TrimSpace(raw), nil
}

// trailing allows only blanks or a comment after a closing quote.
func trailing(rest string) error {
	rest = strings.TrimSpace(rest)
	if rest == "" || strings.HasPrefix(rest, "#") {
		return nil
	}
	return fmt.Errorf("unexpected text after the closing quote")
}

// suggest returns the known key closest to k when the difference looks like
// a typo (edit distance ≤ 3).
func suggest(k string) string {
	best, bestD := "", 4
	for _, known := range keys {
		for _, cand := range []string{known.name, known.name + EncryptedSuffix} {
			if cand != known.name && !known.secret {
				continue
			}
			if d := editDistance(k, cand); d < bestD {
				best, bestD = cand, d
			}
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
