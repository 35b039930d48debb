// Package hostname checks host names as configuration values name them,
// shared by the config keys and the map's tile template.
package hostname

import "strings"

// Valid checks an RFC 1123 host name: labels of letters, digits and inner
// hyphens, 1–63 bytes each, 253 bytes in all (a final dot allowed).
func Valid(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			b := label[i]
			if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-') {
				return false
			}
		}
	}
	return true
}
