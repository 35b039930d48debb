package staff

import (
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminLangSave is POST /admin/account/language (field lang: "en-CA" or
// "fr-CA"; next: where to go back to): the signed-in user's language for
// the admin area (issue 18). The session middleware reads it on every
// request, so the very next page is in the new language. Anything but the
// two codes is refused rather than read as English.
func (h *Handler) adminLangSave(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	var lang i18n.Lang
	switch vals.Get("lang") {
	case store.LangEnglish:
		lang = i18n.English
	case store.LangFrench:
		lang = i18n.French
	default:
		return kit.ErrBadRequest(i18n.Mark("Choose English or French."))
	}
	u := kit.UserFrom(r.Context())
	if err := h.Store.SetUserLang(r.Context(), u.ID, string(lang), h.AuditFor(r, "user.lang", "admin language: "+string(lang))); err != nil {
		return err
	}
	to := SafeNext(vals.Get("next"))
	if to == "" {
		to = "/admin/account/notifications"
	}
	// Said in the language just chosen, as the page it lands on is.
	msg := i18n.Mark("The staff area is now in English.")
	if lang == i18n.French {
		msg = i18n.Mark("The staff area is now in French.")
	}
	return h.FlashRedirect(w, r, to, "success", i18n.For(lang).T(msg))
}
