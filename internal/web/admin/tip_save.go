package admin

import (
	"net/http"
	"strconv"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminTipSave is POST /admin/cases/{id}/tips/{tid}: the tip's state and
// the team's notes. The tip is loaded and must belong to the case in the
// path: another case's tip id is a 404, whatever hidden fields say.
func (h *handler) adminTipSave(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	tid, err := kit.PathID(r, "tid")
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := h.Store.GetCase(ctx, id)
	if err != nil {
		return err
	}
	t, err := h.Store.GetTip(ctx, tid)
	if err != nil {
		return err
	}
	if t.CaseID != c.ID {
		return kit.ErrNotFound()
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	fr := form.NewFormReader(vals)
	notes := fr.Text("notes", 5000)
	state := store.TipState(vals.Get("state"))
	msg := kit.L(r).T(fr.Errs["notes"])
	if msg == "" && !form.InList(string(state), []string{"new", "reviewed", "forwarded"}) {
		msg = kit.L(r).T("Choose new, reviewed or forwarded to police.")
	}
	if msg != "" {
		return h.renderCaseTips(w, r, http.StatusUnprocessableEntity, c, 1, &tipsView{Error: msg, ErrTip: tid})
	}
	summary := "tip " + strconv.FormatInt(tid, 10) + " marked " + string(state)
	if notes != t.Notes {
		summary += ", notes changed"
	}
	if err := h.Store.SetTipState(ctx, tid, state, notes, h.AuditFor(r, "tip.update", summary)); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"/tips#tip-"+strconv.FormatInt(tid, 10), "success", kit.L(r).TC("admin cases", "Tip saved."))
}
