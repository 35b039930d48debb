package staff

import (
	"lostinnl/internal/web/kit"
	"net/http"

	"lostinnl/internal/web/form"
)

// adminRequire2FASave is POST /admin/settings/require-2fa (require=yes or
// absent): whether every staff member must use a second factor.
func (h *Handler) adminRequire2FASave(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	on := vals.Get("require") == "yes"
	value, summary, done := "false", "second factor optional", kit.L(r).T("A second factor is now optional.")
	if on {
		value, summary, done = "true", "second factor required for all staff", kit.L(r).T("A second factor is now required for all staff.")
	}
	if err := h.Store.SetSetting(r.Context(), SettingRequire2FA, value, h.AuditFor(r, "setting.require_2fa", summary)); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, "/admin/users", "success", done)
}
