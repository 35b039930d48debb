package staff

import (
	"errors"
	"net/http"
	"strconv"

	"lostinnl/internal/auth"
	"lostinnl/internal/web/kit"
)

// adminTOTPImage is GET /admin/account/totp.png: the QR code of the
// enrolment in progress. The CSP allows no data: images, and the code holds
// the secret, so it is served only to the session that is enrolling and
// never stored by any cache.
func (h *Handler) adminTOTPImage(w http.ResponseWriter, r *http.Request) error {
	u := kit.UserFrom(r.Context())
	s := kit.SessionFrom(r.Context())
	if u.TOTPSecret != nil || s == nil {
		return kit.ErrNotFound()
	}
	secret, err := s.EnrolmentSecret()
	if errors.Is(err, auth.ErrNoEnrolment) {
		return kit.ErrNotFound()
	}
	if err != nil {
		return err
	}
	png, err := auth.TOTPQRCodePNG(auth.TOTPURI(secret, u.Email), 256)
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "image/png")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Length", strconv.Itoa(len(png)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(png) // a write error means the client left
	return nil
}
