package web

// adminRoutes is the admin area's part of the route table (DESIGN.md §3).
// Every line names its access rule, and writes that can change a public
// page say so (purges, see route); checkAdminRoutes refuses to start when
// a line under /admin is public without being a sign-in route, and
// TestAdminRouteAccess fails when a line is missing from its expectations.
func (h *handler) adminRoutes() []route {
	return []route{
		{pattern: "GET /admin/login", access: public, h: h.adminLogin},
		{pattern: "POST /admin/login", access: public, h: h.adminLoginSave},
		{pattern: "POST /admin/logout", access: public, h: h.adminLogout},
		{pattern: "GET /admin/set-password", access: public, h: h.adminSetPassword},
		{pattern: "POST /admin/set-password", access: public, h: h.adminSetPasswordSave},

		{pattern: "GET /admin", access: staff, h: h.adminDashboard},

		{pattern: "GET /admin/account/2fa", access: staff, h: h.adminTOTPForm},
		{pattern: "POST /admin/account/2fa", access: staff, h: h.adminTOTPSave},
		{pattern: "GET /admin/account/totp.png", access: staff, h: h.adminTOTPImage},
		{pattern: "GET /admin/account/password", access: staff, h: h.adminPasswordForm},
		{pattern: "POST /admin/account/password", access: staff, h: h.adminPasswordSave},

		{pattern: "GET /admin/reports", access: staff, h: h.adminReports},
		{pattern: "GET /admin/reports/{id}", access: staff, h: h.adminReportShow},
		{pattern: "POST /admin/reports/{id}/approve", access: staff, purges: true, h: h.adminReportApprove},
		{pattern: "POST /admin/reports/{id}/reject", access: staff, h: h.adminReportReject},

		{pattern: "GET /admin/cases", access: staff, h: h.adminCases},
		{pattern: "GET /admin/cases/new", access: staff, h: h.adminCaseNew},
		{pattern: "POST /admin/cases", access: staff, purges: true, h: h.adminCaseCreate},
		{pattern: "GET /admin/cases/{id}", access: staff, h: h.adminCaseShow},
		{pattern: "POST /admin/cases/{id}", access: staff, purges: true, h: h.adminCaseSave},
		{pattern: "GET /admin/cases/{id}/status", access: staff, h: h.adminCaseStatusConfirm},
		{pattern: "POST /admin/cases/{id}/status", access: staff, purges: true, h: h.adminCaseStatusSave},
		{pattern: "POST /admin/cases/{id}/photos", access: staff, purges: true, h: h.adminPhotoUpload},
		{pattern: "POST /admin/cases/{id}/photos/{pid}/move", access: staff, purges: true, h: h.adminPhotoMove},
		{pattern: "POST /admin/cases/{id}/photos/{pid}/primary", access: staff, purges: true, h: h.adminPhotoPrimary},
		{pattern: "POST /admin/cases/{id}/photos/{pid}/delete", access: staff, purges: true, h: h.adminPhotoDelete},
		{pattern: "POST /admin/cases/{id}/updates", access: staff, purges: true, h: h.adminUpdateAdd},
		{pattern: "POST /admin/cases/{id}/updates/{uid}", access: staff, purges: true, h: h.adminUpdateEdit},
		{pattern: "POST /admin/cases/{id}/updates/{uid}/delete", access: staff, purges: true, h: h.adminUpdateDelete},
		{pattern: "GET /admin/cases/{id}/tips", access: staff, h: h.adminCaseTips},
		{pattern: "GET /admin/cases/{id}/tips.csv", access: staff, h: h.adminCaseTipsCSV},
		{pattern: "POST /admin/cases/{id}/tips/{tid}", access: staff, h: h.adminTipSave},
		{pattern: "POST /admin/cases/{id}/additions/{aid}/handled", access: staff, h: h.adminAdditionHandled},
		{pattern: "POST /admin/cases/{id}/additions/photos/{pid}/adopt", access: staff, purges: true, h: h.adminAdditionPhotoAdopt},
		{pattern: "GET /admin/media/{name}", access: staff, h: h.adminMedia},

		{pattern: "GET /admin/tips", access: staff, h: h.adminTips},

		{pattern: "GET /admin/messages", access: staff, h: h.adminMessages},
		{pattern: "GET /admin/messages/{id}", access: staff, h: h.adminMessageShow},
		{pattern: "POST /admin/messages/{id}/read", access: staff, h: h.adminMessageRead},

		{pattern: "GET /admin/resources", access: adminOnly, h: h.adminResources},
		{pattern: "GET /admin/resources/new", access: adminOnly, h: h.adminResourceNew},
		{pattern: "POST /admin/resources", access: adminOnly, purges: true, h: h.adminResourceCreate},
		{pattern: "GET /admin/resources/{id}", access: adminOnly, h: h.adminResourceEdit},
		{pattern: "POST /admin/resources/{id}", access: adminOnly, purges: true, h: h.adminResourceSave},
		{pattern: "POST /admin/resources/{id}/move", access: adminOnly, purges: true, h: h.adminResourceMove},
		{pattern: "POST /admin/resources/{id}/delete", access: adminOnly, purges: true, h: h.adminResourceDelete},

		{pattern: "GET /admin/users", access: adminOnly, h: h.adminUsers},
		{pattern: "POST /admin/users", access: adminOnly, h: h.adminUserCreate},
		{pattern: "POST /admin/users/{id}/role", access: adminOnly, h: h.adminUserRole},
		{pattern: "POST /admin/users/{id}/disable", access: adminOnly, h: h.adminUserDisable},
		{pattern: "POST /admin/users/{id}/enable", access: adminOnly, h: h.adminUserEnable},
		{pattern: "POST /admin/users/{id}/reset-2fa", access: adminOnly, h: h.adminUserReset2FA},
		{pattern: "POST /admin/users/{id}/reset-password", access: adminOnly, h: h.adminUserResetPassword},
		{pattern: "POST /admin/settings/require-2fa", access: adminOnly, h: h.adminRequire2FASave},

		{pattern: "GET /admin/audit", access: adminOnly, h: h.adminAudit},
	}
}
