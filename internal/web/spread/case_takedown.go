package spread

import (
	"net/http"
	"strconv"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// takedownView is admin/case_takedown.html: where a closed case's copies
// were withdrawn, and a ready request for other sites to remove theirs.
type takedownView struct {
	Case     *store.Case
	ClosedAt *time.Time // when it was located or archived, from the audit log (LocatedAt as a fallback)
	Archived bool
	EndsAt   *time.Time // located only: when the retention job archives it
	URL      string     // the public address
	Copies   []takedownCopy
	Request  string // the removal request, ready to copy
}

// takedownCopy is one place a copy of the appeal was, and its state now.
type takedownCopy struct{ What, Where, Now string }

// closingActions are the audit actions that close a case: a moderator
// marking it located or archiving it, or the retention job archiving it.
var closingActions = []string{"case.locate", "case.archive"}

// adminCaseTakedown is GET /admin/cases/{id}/takedown. Only closed
// (located or archived) cases have one; others are 404.
func (h *handler) adminCaseTakedown(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := h.Store.GetCase(ctx, id)
	if err != nil {
		return err
	}
	if c.Status != store.StatusLocated && c.Status != store.StatusArchived {
		return kit.ErrNotFound()
	}
	v := &takedownView{Case: c, Archived: c.Status == store.StatusArchived}
	closedAt, err := h.closedAt(r, c)
	if err != nil {
		return err
	}
	v.ClosedAt = closedAt
	if !v.Archived && c.LocatedAt != nil {
		end := c.LocatedAt.AddDate(0, 0, h.locatedPublicDays)
		v.EndsAt = &end
	}
	path := "/cases/" + strconv.FormatInt(c.ID, 10)
	v.URL = h.AbsURL(path)
	lz := kit.L(r)
	v.Copies = h.takedownCopies(lz, c, path, v.EndsAt)
	v.Request = h.removalRequest(lz, c, v.URL, closedAt)
	return h.AdminRender(w, r, http.StatusOK, "case_takedown.html", lz.TC("admin cases", "Takedown: {name}", "name", c.FullName), "cases", v)
}

// closedAt is the newest closing entry in the case's audit log: the
// status change that closed it, by a moderator or the retention job.
func (h *handler) closedAt(r *http.Request, c *store.Case) (*time.Time, error) {
	var newest *time.Time
	for _, a := range closingActions {
		es, _, err := h.Store.ListAudit(r.Context(), store.AuditFilter{Action: a, Record: "case:" + strconv.FormatInt(c.ID, 10), PerPage: 1})
		if err != nil {
			return nil, err
		}
		if len(es) > 0 && (newest == nil || es[0].CreatedAt.After(*newest)) {
			t := es[0].CreatedAt
			newest = &t
		}
	}
	if newest == nil {
		newest = c.LocatedAt // closed without an entry (older data): the located time
	}
	return newest, nil
}

// takedownCopies lists every copy the site published, each with what it
// answers now. The answers are the behaviour of the routes (internal/web/
// site, api), checked end to end by TestTakedownEveryURL.
func (h *handler) takedownCopies(lz *i18n.Localizer, c *store.Case, path string, endsAt *time.Time) []takedownCopy {
	gone := lz.TC("admin cases", "410 Gone, noindex")
	page := gone
	api := lz.TC("admin cases", "404 Not Found")
	if c.Status == store.StatusLocated {
		page = lz.T("located notice with the name only, noindex (no photos, details, share links or picture)")
		if endsAt != nil {
			page += lz.TC("admin cases", "; 410 Gone from {date}", "date", lz.Date(*endsAt))
		}
		api = lz.T("name, status and region only (personal_withdrawn true, no photos)")
	}
	pfifNow := lz.T("left the export; the record answers 410 Gone")
	if c.Status == store.StatusLocated {
		pfifNow = lz.T("an expired record (expiry_date at closing, every other field blank), so partners delete their copy")
	}
	photos := lz.TC("admin cases", "{state}; photo files deleted from storage", "state", gone)
	if !c.PersonalWithdrawn {
		photos = lz.T("{state}; photo files are deleted from storage at the retention date", "state", gone)
	}
	return []takedownCopy{
		{lz.TC("admin cases", "Case page"), h.AbsURL(path), page},
		{lz.TC("admin cases", "Photo pages and photo files"), h.AbsURL(path+"/photos/…") + ", " + h.AbsURL("/media/…"), photos},
		{lz.TC("admin cases", "Poster (Letter and A4)"), h.AbsURL(path + "/poster.pdf"), gone},
		{lz.TC("admin cases", "Share picture (link previews)"), h.AbsURL(path + "/share.jpg"), gone},
		{lz.TC("admin cases", "JSON API"), h.AbsURL("/api/v1" + path), api},
		{lz.TC("admin cases", "The case's Atom feed"), h.AbsURL("/feeds" + path), gone},
		{lz.T("Atom feeds of all cases and of its region"), h.AbsURL("/feeds/cases") + ", " + h.AbsURL("/feeds/regions/…"), lz.T("left at closing: they list open cases only")},
		{lz.TC("admin cases", "Sitemap"), h.AbsURL("/sitemap.xml"), lz.T("left at closing: it lists open cases only")},
		{lz.TC("admin cases", "PFIF export"), h.AbsURL("/pfif/1.4/persons.xml") + ", " + h.AbsURL("/pfif/1.4/persons/"+strconv.FormatInt(c.ID, 10)+".xml"), pfifNow},
		{lz.TC("admin cases", "Page caches on every instance"), "", lz.T("dropped at closing: the status change moves the content revision")},
		{lz.TC("admin cases", "Followers of the case"), "", lz.T("sent the closing notice once, when the case left “missing”")},
	}
}

// removalRequest is the text staff send to news sites, social networks and
// other missing-person sites that copied the appeal. It names the person
// and the address (so the recipient can find their copy), says the person
// was found and nothing more.
func (h *handler) removalRequest(lz *i18n.Localizer, c *store.Case, url string, closedAt *time.Time) string {
	// The name the recipient published: the short one for a
	// first-name-only case, whose surname must not leave with this text.
	name := c.PublicName()
	ended := lz.T("The appeal ended and we have withdrawn it, with its photos, poster and share picture, from our site.")
	if closedAt != nil {
		ended = lz.T("The appeal ended on {date} and we have withdrawn it, with its photos, poster and share picture, from our site.", "date", lz.Date(*closedAt))
	}
	// In the staff member's language: they send it, and may add a
	// version in the other language for a site that needs it.
	return lz.T("Subject: Please remove the missing-person appeal for {name}", "name", name) + "\n\n" +
		lz.TC("admin cases", "Hello,") + "\n\n" +
		lz.T("You published or shared our appeal for {name}, who was reported missing in Newfoundland and Labrador ({url}).", "name", name, "url", url) + " " + ended + "\n\n" +
		lz.T("Please remove your copy: the post or article, the photos and any description of {name}, and, where you can, cached or archived versions. Keeping it online after the appeal has ended can harm the person and their family.", "name", name) + "\n\n" +
		lz.T("Thank you for helping while {name} was missing.", "name", name) + "\n\n" +
		lz.T("Missing Persons NL") + "\n" + h.AbsURL("/") + "\n"
}
