package staff

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// adminLogout is POST /admin/logout. The session row is deleted, so the id
// stops working on every instance at once; a half-finished sign-in (waiting
// for its code) is cancelled the same way.
func (h *Handler) adminLogout(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := kit.UserFrom(ctx)
	if err := h.admin.sessions.End(ctx, w, r); err != nil {
		return err
	}
	if u != nil {
		if err := h.Store.AppendAudit(ctx, h.loginAudit(u, h.ClientIP(r).String(), "user.logout", "signed out")); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/admin/login?out=1", http.StatusSeeOther)
	return nil
}
