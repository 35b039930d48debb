package geo

import (
	"errors"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"lostinnl/internal/hostname"
)

// DefaultTiles is OpenStreetMap's standard tile layer. Its usage policy
// asks for the attribution below on every map, a real User-Agent and
// Referer (browsers send them) and no bulk downloading: fine for a site of
// this size; a busy deployment should point LOSTINNL_MAP_TILES at its own
// or a commercial tile server.
const DefaultTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

// Attribution is what every map shows in its corner, linked to
// AttributionURL: OpenStreetMap's licence (ODbL) requires it for its data,
// which is also what nearly every other tile server draws.
const (
	Attribution    = "© OpenStreetMap contributors"
	AttributionURL = "https://www.openstreetmap.org/copyright"
)

// Tiles is a validated tile URL template.
type Tiles struct {
	// Template is the URL with {z}, {x} and {y} (and optionally {r}, for
	// high-density screens) as Leaflet's L.tileLayer takes it.
	Template string
	// Origin is scheme://host[:port] of the template, the one origin the
	// Content-Security-Policy's img-src adds for the maps.
	Origin string
}

// placeholder matches what Leaflet would substitute in a template: a word
// in braces (its own pattern is the same, with spaces allowed inside).
var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// maxTilesLen bounds the template: it is printed in every map page.
const maxTilesLen = 500

// ParseTiles checks a tile URL template: an absolute https:// URL (plain
// http:// only for a loopback host, for a local tile server or a test
// fake) with {z}, {x} and {y}, no other placeholder than {r}, no
// subdomain pattern ({s}: the CSP would need several hosts), no user name
// or password, and nothing that could break out of the CSP header or an
// HTML attribute. Errors are one line, fit for "LOSTINNL_MAP_TILES: …".
func ParseTiles(v string) (Tiles, error) {
	if v == "" {
		return Tiles{}, errors.New("must not be empty (the default is " + DefaultTiles + ")")
	}
	if len(v) > maxTilesLen {
		return Tiles{}, errors.New("longer than " + strconv.Itoa(maxTilesLen) + " characters")
	}
	for _, r := range v {
		if r <= ' ' || r == 0x7f || r > 0x7e || strings.ContainsRune(`"'<>\;,`+"`", r) {
			return Tiles{}, errors.New("contains a space, a control or non-ASCII character, or one of \" ' < > \\ ; , ` (percent-encode it)")
		}
	}
	for _, p := range placeholder.FindAllString(v, -1) {
		switch p {
		case "{z}", "{x}", "{y}", "{r}":
		case "{s}":
			return Tiles{}, errors.New("subdomains ({s}) are not supported: name one host, so the Content-Security-Policy can allow exactly it")
		default:
			return Tiles{}, errors.New("unknown placeholder " + p + " (want {z}, {x}, {y} and optionally {r})")
		}
	}
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(v, p) {
			return Tiles{}, errors.New("must contain {z}, {x} and {y}, like " + DefaultTiles)
		}
	}
	// Parsed with the placeholders filled in, so url.Parse sees a real URL.
	u, err := url.Parse(placeholder.ReplaceAllString(v, "0"))
	if err != nil || u.Opaque != "" || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return Tiles{}, errors.New("not an absolute https:// URL, like " + DefaultTiles)
	}
	_, rest, _ := strings.Cut(v, "://")
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[:i]
	}
	if strings.Contains(rest, "{") || u.Fragment != "" || strings.Contains(v, "#") {
		return Tiles{}, errors.New("the host must be fixed and the URL must have no fragment (#)")
	}
	if u.User != nil {
		return Tiles{}, errors.New("must not contain a user name or password (put an API key in the query if the tile server wants one)")
	}
	host := u.Hostname()
	if !validHost(host) {
		return Tiles{}, errors.New("not a valid host name")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 || strings.HasPrefix(p, "+") {
			return Tiles{}, errors.New("port must be a number from 1 to 65535")
		}
	}
	if u.Scheme == "http" && !loopback(host) {
		return Tiles{}, errors.New("must be https:// (plain http:// only for a tile server on this machine: localhost, 127.0.0.1 or ::1)")
	}
	return Tiles{Template: v, Origin: strings.ToLower(u.Scheme + "://" + u.Host)}, nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Zone() == "" && a.IsLoopback()
}

// validHost accepts an IP address (no zone) or an RFC 1123 host name.
func validHost(h string) bool {
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Zone() == ""
	}
	return hostname.Valid(h)
}
