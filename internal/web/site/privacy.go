package site

import (
	"fmt"
	"net/http"

	"lostinnl/internal/config"
	"lostinnl/internal/mail"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// Retention is how long records are kept, in days, as configured
// (LOSTINNL_*_RETENTION_DAYS); the privacy page states these numbers. The
// zero value stands for the configuration's defaults (tests that are not
// about retention leave it out); anything else must be a complete, valid
// set, because a page promising periods the retention job does not apply
// would be worse than none.
type Retention struct {
	LocatedDays  int // photos and personal details leave a located case's page (0 = at the next hourly pass)
	PendingDays  int // unpublished reports, after their last change
	RejectedDays int // rejected reports, after the rejection
	TipDays      int // tips, after receipt
	MessageDays  int // contact messages, after receipt
	// LocatedPublicDays: a located case is archived this long after it
	// was located (LOSTINNL_LOCATED_PUBLIC_DAYS); its address then
	// answers 410 Gone.
	LocatedPublicDays int
}

// OrDefaults returns r, or the configuration's defaults for the zero value.
func (r Retention) OrDefaults() (Retention, error) {
	if r == (Retention{}) {
		return Retention{
			LocatedDays:       config.DefaultLocatedRetentionDays,
			PendingDays:       config.DefaultPendingRetentionDays,
			RejectedDays:      config.DefaultRejectedRetentionDays,
			TipDays:           config.DefaultTipRetentionDays,
			MessageDays:       config.DefaultMessageRetentionDays,
			LocatedPublicDays: config.DefaultLocatedPublicDays,
		}, nil
	}
	if r.LocatedDays < 0 || r.PendingDays < 1 || r.RejectedDays < 1 || r.TipDays < 1 || r.MessageDays < 1 || r.LocatedPublicDays < 1 {
		return r, fmt.Errorf("web: Deps.Retention %+v: every period must be set (at least 1 day; located may be 0)", r)
	}
	return r, nil
}

// privacyView is privacy.html: the retention periods, and those of email
// alerts (fixed in internal/store and internal/mail).
type privacyView struct {
	Retention
	ConfirmHours int // unconfirmed subscriptions are deleted after this
	SentDays     int // sent mail leaves the outbox after this
}

// privacy is GET /privacy: what we collect, why, who sees it, how long we
// keep it (the configured periods), and how to ask for removal.
func (h *handler) privacy(w http.ResponseWriter, r *http.Request) error {
	lz := kit.L(r)
	p := h.Page(r, lz.T("Privacy"))
	p.Nav = "privacy"
	p.Description = lz.T("What Missing Persons NL collects, why, who sees it, how long it is kept and how to ask for removal.")
	p.Canonical = h.BaseURL + kit.LangPath(r, "/privacy")
	p.Data = privacyView{
		Retention:    h.retention,
		ConfirmHours: int(store.ConfirmTTL.Hours()),
		SentDays:     int(mail.SentRetention.Hours() / 24),
	}
	return h.HTML(w, http.StatusOK, kit.CacheStatic, "privacy.html", p)
}
