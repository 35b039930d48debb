package staff

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// loadOtherUser loads the user of the path for an admin action. Acting on
// one's own account is refused for the actions that could lock the last
// admin out (role change, disabling).
func (h *Handler) loadOtherUser(r *http.Request, allowSelf bool) (*store.User, string, error) {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return nil, "", err
	}
	u, err := h.Store.GetUser(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	if me := kit.UserFrom(r.Context()); !allowSelf && me != nil && me.ID == u.ID {
		return u, kit.L(r).T("You cannot do this to your own account. Ask another administrator."), nil
	}
	return u, "", nil
}
