package admin

import (
	"errors"
	"net/http"
	"strings"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// statusView is the data of admin/case_status.html: the confirmation step
// of a status change.
type statusView struct {
	Case        *store.Case
	T           transition
	Error       string
	Reason      string
	ReasonError string
	RetDays     int
}

// adminCaseStatusSave is POST /admin/cases/{id}/status (to, confirm=yes,
// reason for a rejection). The change and its audit entry commit together.
func (h *handler) adminCaseStatusSave(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	c, t, err := h.caseTransition(r, vals.Get("to"))
	if err != nil {
		return err
	}
	v := &statusView{Case: c, T: t, RetDays: h.days}
	fr := form.NewFormReader(vals)
	v.Reason = fr.Text("reason", 2000)
	if vals.Get("confirm") != "yes" {
		v.Error = kit.L(r).TC("admin cases", "Tick the box to confirm.")
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "case_status.html", t.Label, "cases", v)
	}
	if msg := fr.Errs["reason"]; msg != "" {
		v.ReasonError = kit.L(r).T(msg)
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "case_status.html", t.Label, "cases", v)
	}
	if t.To == store.StatusRejected && v.Reason == "" {
		v.ReasonError = kit.L(r).T("Give the reason (kept for the team, not shown to the public).")
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "case_status.html", t.Label, "cases", v)
	}
	return h.applyTransition(w, r, c, t, v.Reason, func(msg string) error {
		v.Error = msg
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "case_status.html", t.Label, "cases", v)
	})
}

// applyTransition runs the store transition and redirects to the case page;
// refusals of the lifecycle come back through refuse with a plain message.
func (h *handler) applyTransition(w http.ResponseWriter, r *http.Request, c *store.Case, t transition, reason string, refuse func(string) error) error {
	summary := "status " + string(c.Status) + " → " + string(t.To)
	err := h.Store.TransitionCase(r.Context(), c.ID, t.To, reason, h.AuditFor(r, t.Action, summary))
	switch {
	case errors.Is(err, store.ErrPublishRequirements):
		return refuse(kit.L(r).T("Publishing needs the police service, the police file number and the “verified with the police” tick. Edit the case first."))
	case errors.Is(err, store.ErrIllegalTransition), errors.Is(err, store.ErrConflict):
		return refuse(kit.L(r).T("The case's status changed meanwhile, so this step no longer applies. Go back to the case and check its status."))
	case err != nil:
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(c.ID), "success", kit.L(r).T("{action}: done. The case is now {status}.", "action", t.Label, "status", statusLabel(kit.L(r), t.To)))
}

// caseTransition loads the case of the path and checks that "to" is a step
// its lifecycle allows now; anything else is a 404 (unknown case) or 400.
func (h *handler) caseTransition(r *http.Request, to string) (*store.Case, transition, error) {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return nil, transition{}, err
	}
	c, err := h.Store.GetCase(r.Context(), id)
	if err != nil {
		return nil, transition{}, err
	}
	st := store.Status(strings.TrimSpace(to))
	if !st.Valid() || !store.CanTransition(c.Status, st) {
		return nil, transition{}, kit.ErrBadRequest(kit.L(r).T("This status change is not possible for this case now."))
	}
	return c, transitionFor(kit.L(r), c.Status, st), nil
}
