package web

import (
	"net/http"
	"strconv"

	"lostinnl/internal/store"
)

// adminTipSave is POST /admin/cases/{id}/tips/{tid}: the tip's state and
// the team's notes. The tip is loaded and must belong to the case in the
// path: another case's tip id is a 404, whatever hidden fields say.
func (h *handler) adminTipSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	tid, err := pathID(r, "tid")
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := h.st.GetCase(ctx, id)
	if err != nil {
		return err
	}
	t, err := h.st.GetTip(ctx, tid)
	if err != nil {
		return err
	}
	if t.CaseID != c.ID {
		return errNotFound()
	}
	vals, err := h.readSmallForm(w, r)
	if err != nil {
		return err
	}
	fr := newFormReader(vals)
	notes := fr.text("notes", 5000)
	state := store.TipState(vals.Get("state"))
	msg := fr.errs["notes"]
	if msg == "" && !inList(string(state), []string{"new", "reviewed", "forwarded"}) {
		msg = "Choose new, reviewed or forwarded to police."
	}
	if msg != "" {
		return h.renderCaseTips(w, r, http.StatusUnprocessableEntity, c, 1, &tipsView{Error: msg, ErrTip: tid})
	}
	summary := "tip " + strconv.FormatInt(tid, 10) + " marked " + string(state)
	if notes != t.Notes {
		summary += ", notes changed"
	}
	if err := h.st.SetTipState(ctx, tid, state, notes, h.auditFor(r, "tip.update", summary)); err != nil {
		return err
	}
	return h.flashRedirect(w, r, caseAdminURL(id)+"/tips#tip-"+strconv.FormatInt(tid, 10), "success", "Tip saved.")
}
