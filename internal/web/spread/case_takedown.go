package spread

import (
	"net/http"
	"strconv"
	"strings"
	"time"

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
	v.Copies = h.takedownCopies(c, path, v.EndsAt)
	v.Request = h.removalRequest(c, v.URL, closedAt)
	return h.AdminRender(w, r, http.StatusOK, "case_takedown.html", "Takedown: "+c.FullName, "cases", v)
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
func (h *handler) takedownCopies(c *store.Case, path string, endsAt *time.Time) []takedownCopy {
	gone := "410 Gone, noindex"
	page := gone
	api := "404 Not Found"
	if c.Status == store.StatusLocated {
		page = "located notice with the name only, noindex (no photos, details, share links or picture)"
		if endsAt != nil {
			page += "; 410 Gone from " + kit.FormatDate(*endsAt)
		}
		api = "name, status and region only (personal_withdrawn true, no photos)"
	}
	pfifNow := "left the export; the record answers 410 Gone"
	if c.Status == store.StatusLocated {
		pfifNow = "an expired record (expiry_date at closing, every other field blank), so partners delete their copy"
	}
	photos := gone + "; photo files deleted from storage"
	if !c.PersonalWithdrawn {
		photos = gone + "; photo files are deleted from storage at the retention date"
	}
	return []takedownCopy{
		{"Case page", h.AbsURL(path), page},
		{"Photo pages and photo files", h.AbsURL(path+"/photos/…") + ", " + h.AbsURL("/media/…"), photos},
		{"Poster (Letter and A4)", h.AbsURL(path + "/poster.pdf"), gone},
		{"Share picture (link previews)", h.AbsURL(path + "/share.jpg"), gone},
		{"JSON API", h.AbsURL("/api/v1" + path), api},
		{"The case's Atom feed", h.AbsURL("/feeds" + path), gone},
		{"Atom feeds of all cases and of its region", h.AbsURL("/feeds/cases") + ", " + h.AbsURL("/feeds/regions/…"), "left at closing: they list open cases only"},
		{"Sitemap", h.AbsURL("/sitemap.xml"), "left at closing: it lists open cases only"},
		{"PFIF export", h.AbsURL("/pfif/1.4/persons.xml") + ", " + h.AbsURL("/pfif/1.4/persons/"+strconv.FormatInt(c.ID, 10)+".xml"), pfifNow},
		{"Page caches on every instance", "", "dropped at closing: the status change moves the content revision"},
		{"Followers of the case", "", "sent the closing notice once, when the case left “missing”"},
	}
}

// removalRequest is the text staff send to news sites, social networks and
// other missing-person sites that copied the appeal. It names the person
// and the address (so the recipient can find their copy), says the person
// was found and nothing more.
func (h *handler) removalRequest(c *store.Case, url string, closedAt *time.Time) string {
	when := ""
	if closedAt != nil {
		when = " on " + kit.FormatDate(*closedAt)
	}
	// The name the recipient published: the short one for a
	// first-name-only case, whose surname must not leave with this text.
	name := c.PublicName()
	var b strings.Builder
	b.WriteString("Subject: Please remove the missing-person appeal for " + name + "\n\n")
	b.WriteString("Hello,\n\n")
	b.WriteString("You published or shared our appeal for " + name + ", who was reported missing in Newfoundland and Labrador (" + url + "). ")
	b.WriteString("The appeal ended" + when + " and we have withdrawn it, with its photos, poster and share picture, from our site.\n\n")
	b.WriteString("Please remove your copy: the post or article, the photos and any description of " + name + ", ")
	b.WriteString("and, where you can, cached or archived versions. Keeping it online after the appeal has ended can harm the person and their family.\n\n")
	b.WriteString("Thank you for helping while " + name + " was missing.\n\n")
	b.WriteString("Missing Persons NL\n" + h.AbsURL("/") + "\n")
	return b.String()
}
