package site

import (
	"net/http"
	"time"

	"lostinnl/internal/web/kit"
)

// receiptCookie carries the reporter's private link token from POST /submit
// to the thanks page, so the token never appears in a URL (where browser
// history, the access log or a Referer would keep it). It is readable only
// by the thanks page (Path), never by scripts (HttpOnly), never sent from
// another site (SameSite=Strict), and short-lived.
const (
	ReceiptCookie = "lostinnl_receipt"
	receiptPath   = "/submit/thanks"
	receiptMaxAge = 15 * time.Minute
)

// setReceiptCookie hands the token to the thanks page. Secure follows the
// same TLS detection as the session cookie (direct TLS or a trusted
// proxy's X-Forwarded-Proto), so it also works on plain-HTTP development.
func (h *handler) setReceiptCookie(w http.ResponseWriter, r *http.Request, token string) {
	if token == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     ReceiptCookie,
		Value:    token,
		Path:     kit.LangPath(r, receiptPath), // /fr/submit/thanks after a French form
		MaxAge:   int(receiptMaxAge / time.Second),
		Expires:  h.Now().Add(receiptMaxAge),
		HttpOnly: true,
		Secure:   h.ViaTLS(r),
		SameSite: http.SameSiteStrictMode,
	})
}

// receiptToken reads the cookie; "" when absent or not a token's shape.
func receiptToken(r *http.Request) string {
	c, err := r.Cookie(ReceiptCookie)
	if err != nil || !ValidReportToken(c.Value) {
		return ""
	}
	return c.Value
}
