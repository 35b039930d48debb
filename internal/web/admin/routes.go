package admin

import (
	"time"

	"lostinnl/internal/web/kit"
)

// Routes is the moderation part of the route table (DESIGN.md §3); days
// is Admin.RetentionDays. Every line names its access rule, and writes
// that can change a public page say so (purges, see kit.Route);
// internal/web refuses to start when a line under /admin is public without
// being a sign-in route, and TestAdminRouteAccess fails when a line is
// missing from its expectations.
func Routes(env *kit.Env, days int) []kit.Route {
	h := &handler{Env: env, days: days}
	return []kit.Route{
		{Pattern: "GET /admin", Access: kit.Staff, Handler: h.adminDashboard},

		{Pattern: "GET /admin/reports", Access: kit.Staff, Handler: h.adminReports},
		{Pattern: "GET /admin/reports/{id}", Access: kit.Staff, Handler: h.adminReportShow},
		{Pattern: "POST /admin/reports/{id}/approve", Access: kit.Staff, Purges: true, Handler: h.adminReportApprove},
		{Pattern: "POST /admin/reports/{id}/reject", Access: kit.Staff, Handler: h.adminReportReject},

		{Pattern: "GET /admin/cases", Access: kit.Staff, Handler: h.adminCases},
		{Pattern: "GET /admin/cases/new", Access: kit.Staff, Handler: h.adminCaseNew},
		{Pattern: "POST /admin/cases", Access: kit.Staff, Purges: true, Handler: h.adminCaseCreate},
		{Pattern: "GET /admin/cases/{id}", Access: kit.Staff, Handler: h.adminCaseShow},
		{Pattern: "POST /admin/cases/{id}", Access: kit.Staff, Purges: true, Handler: h.adminCaseSave},
		{Pattern: "GET /admin/cases/{id}/status", Access: kit.Staff, Handler: h.adminCaseStatusConfirm},
		{Pattern: "POST /admin/cases/{id}/status", Access: kit.Staff, Purges: true, Handler: h.adminCaseStatusSave},
		{Pattern: "GET /admin/cases/{id}/merge", Access: kit.Staff, Handler: h.adminCaseMergeConfirm},
		{Pattern: "POST /admin/cases/{id}/merge", Access: kit.Staff, Purges: true, Handler: h.adminCaseMerge},
		{Pattern: "POST /admin/cases/{id}/photos", Access: kit.Staff, Purges: true, Handler: h.adminPhotoUpload},
		{Pattern: "POST /admin/cases/{id}/photos/{pid}/move", Access: kit.Staff, Purges: true, Handler: h.adminPhotoMove},
		{Pattern: "POST /admin/cases/{id}/photos/{pid}/primary", Access: kit.Staff, Purges: true, Handler: h.adminPhotoPrimary},
		{Pattern: "POST /admin/cases/{id}/photos/{pid}/delete", Access: kit.Staff, Purges: true, Handler: h.adminPhotoDelete},
		{Pattern: "POST /admin/cases/{id}/updates", Access: kit.Staff, Purges: true, Handler: h.adminUpdateAdd},
		{Pattern: "POST /admin/cases/{id}/updates/{uid}", Access: kit.Staff, Purges: true, Handler: h.adminUpdateEdit},
		{Pattern: "POST /admin/cases/{id}/updates/{uid}/delete", Access: kit.Staff, Purges: true, Handler: h.adminUpdateDelete},
		{Pattern: "GET /admin/cases/{id}/tips", Access: kit.Staff, Handler: h.adminCaseTips},
		{Pattern: "GET /admin/cases/{id}/tips.csv", Access: kit.Staff, Handler: h.adminCaseTipsCSV},
		{Pattern: "POST /admin/cases/{id}/tips/{tid}", Access: kit.Staff, Handler: h.adminTipSave},
		{Pattern: "POST /admin/cases/{id}/additions/{aid}/handled", Access: kit.Staff, Handler: h.adminAdditionHandled},
		{Pattern: "POST /admin/cases/{id}/additions/photos/{pid}/adopt", Access: kit.Staff, Purges: true, Handler: h.adminAdditionPhotoAdopt},
		{Pattern: "GET /admin/media/{name}", Access: kit.Staff, Handler: h.adminMedia},

		{Pattern: "GET /admin/tips", Access: kit.Staff, Handler: h.adminTips},

		// Public notes (issue 19): the per-case switch, the queue and its decisions.
		{Pattern: "POST /admin/cases/{id}/notes", Access: kit.Staff, Purges: true, Handler: h.adminCaseNotesSetting},
		{Pattern: "GET /admin/notes", Access: kit.Staff, Handler: h.adminNotes},
		{Pattern: "POST /admin/notes/{nid}/approve", Access: kit.Staff, Purges: true, Handler: h.adminNoteApprove},
		{Pattern: "POST /admin/notes/{nid}/reject", Access: kit.Staff, Handler: h.adminNoteReject},
		{Pattern: "POST /admin/notes/{nid}/remove", Access: kit.Staff, Purges: true, Handler: h.adminNoteRemove},

		{Pattern: "GET /admin/messages", Access: kit.Staff, Handler: h.adminMessages},
		{Pattern: "GET /admin/messages/{id}", Access: kit.Staff, Handler: h.adminMessageShow},
		{Pattern: "POST /admin/messages/{id}/read", Access: kit.Staff, Handler: h.adminMessageRead},

		{Pattern: "GET /admin/resources", Access: kit.AdminOnly, Handler: h.adminResources},
		{Pattern: "GET /admin/resources/new", Access: kit.AdminOnly, Handler: h.adminResourceNew},
		{Pattern: "POST /admin/resources", Access: kit.AdminOnly, Purges: true, Handler: h.adminResourceCreate},
		{Pattern: "GET /admin/resources/{id}", Access: kit.AdminOnly, Handler: h.adminResourceEdit},
		{Pattern: "POST /admin/resources/{id}", Access: kit.AdminOnly, Purges: true, Handler: h.adminResourceSave},
		{Pattern: "POST /admin/resources/{id}/move", Access: kit.AdminOnly, Purges: true, Handler: h.adminResourceMove},
		{Pattern: "POST /admin/resources/{id}/delete", Access: kit.AdminOnly, Purges: true, Handler: h.adminResourceDelete},
	}
}

// handler serves moderation: the dashboard, reports, cases and their
// photos, updates and tips, duplicates, messages and resources.
type handler struct {
	*kit.Env
	// days is Admin.RetentionDays: how long after "located" a case leaves
	// the public page.
	days int
}

// retentionCutoff is the located-at time before which a located case is
// due for withdrawal now.
func (h *handler) retentionCutoff(now time.Time) time.Time {
	return now.AddDate(0, 0, -h.days)
}
