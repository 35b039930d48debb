// Package staff is who may use the admin area: signing in (password,
// second factor, the known-browser cookie and the sign-in throttles),
// signing out, the session middleware that puts the signed-in user and
// session into the request context, the own account (password, TOTP
// enrolment), set-password links, the staff accounts (users: create, role,
// disable, reset), the staff-wide "require a second factor" setting and
// the audit log of what every staff member did (/admin/audit).
// New builds it from Admin (the wiring of internal/cli).
//
// It decides who someone is, not what they may do: the access rule of each
// route is internal/web's (requireRole). It must not serve moderation
// pages (internal/web/admin) or anything public.
package staff
