package staff

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Two things of the sign-in use the installation's login key (Admin.LoginKey):
//
//   - A failed sign-in logs and audits the typed email as typed only when it
//     is a staff account's. Any other address (a typo, a member of the
//     public's, an attacker's list) appears as a keyed hash: the same address
//     gives the same hash, so repeated attempts can still be correlated, but
//     the log does not hold the address, and without the key (sealed by the
//     keeper, in the database) nobody can test guesses against the hash.
//   - The known-browser cookie: after a complete sign-in the browser gets a
//     signed note "user N signed in here". Attempts for that same user from
//     that browser are not held by the per-address budget (the account's own
//     limit still applies), so an attacker behind the office's address, or
//     behind a proxy missing from LOSTINNL_TRUSTED_PROXIES, cannot lock staff
//     out of their usual browsers. See docs/security.md.

// knownBrowserLifetime: a staff member who has not signed in on a browser
// for this long is treated as a stranger there again.
const knownBrowserLifetime = 90 * 24 * time.Hour

// Cookie names, secure and not, as for the session cookie (see auth).
const (
	knownBrowserCookieSecure   = "__Host-lostinnl_browser"
	knownBrowserCookieInsecure = "lostinnl_browser"
)

func (a *adminArea) deriveLoginKeys(key []byte) error {
	if key == nil {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
	}
	if len(key) < 32 {
		return errors.New("web: Deps.Admin.LoginKey must be at least 32 bytes")
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	a.emailKey = derive("lostinnl typed email v1")
	a.deviceKey = derive("lostinnl known browser v1")
	return nil
}

// typedEmailLabel is how a failed sign-in's typed email appears in the log
// and the audit: as typed (normalised) when it is a staff account's (known),
// "(not an email address)" when it does not look like one (people type
// their password there), else "hash:" and 16 bytes of HMAC-SHA-256.
func (h *Handler) typedEmailLabel(typed string, known bool) string {
	shown := auditableEmail(typed)
	if known || shown == notAnEmail {
		return shown
	}
	m := hmac.New(sha256.New, h.admin.emailKey)
	m.Write([]byte(shown))
	return "hash:" + hex.EncodeToString(m.Sum(nil)[:16])
}

func (h *Handler) knownBrowserCookieName(r *http.Request) string {
	if h.ViaTLS(r) {
		return knownBrowserCookieSecure
	}
	return knownBrowserCookieInsecure
}

func (a *adminArea) knownBrowserMAC(payload string) string {
	m := hmac.New(sha256.New, a.deviceKey)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// setKnownBrowser gives the browser the signed note "userID signed in here
// until expiry" (refreshed at every sign-in).
func (h *Handler) setKnownBrowser(w http.ResponseWriter, r *http.Request, userID int64) {
	exp := h.Now().Add(knownBrowserLifetime)
	payload := strconv.FormatInt(userID, 10) + "." + strconv.FormatInt(exp.Unix(), 10)
	http.SetCookie(w, &http.Cookie{
		Name:     h.knownBrowserCookieName(r),
		Value:    payload + "." + h.admin.knownBrowserMAC(payload),
		Path:     "/",
		Expires:  exp,
		Secure:   h.ViaTLS(r),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}

// knownBrowser returns the user id the request's known-browser cookie
// vouches for, or 0 when there is none or it is forged, damaged or expired.
func (h *Handler) knownBrowser(r *http.Request) int64 {
	c, err := r.Cookie(h.knownBrowserCookieName(r))
	if err != nil || len(c.Value) > 100 {
		return 0
	}
	i := strings.LastIndexByte(c.Value, '.')
	if i < 0 {
		return 0
	}
	payload, mac := c.Value[:i], c.Value[i+1:]
	if !hmac.Equal([]byte(mac), []byte(h.admin.knownBrowserMAC(payload))) {
		return 0
	}
	idText, expText, ok := strings.Cut(payload, ".")
	if !ok {
		return 0
	}
	id, err1 := strconv.ParseInt(idText, 10, 64)
	exp, err2 := strconv.ParseInt(expText, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 || !h.Now().Before(time.Unix(exp, 0)) {
		return 0
	}
	return id
}
