// Package admin is moderation, the working part of the admin area: the
// dashboard, pending reports (approve, reject), cases with their photos,
// updates, tips and the reporter's additions, contact messages, the
// resources page and the audit log, one action per file, with its route
// table (Routes).
//
// Every route here is for signed-in staff; the access rule of each line in
// Routes is enforced by internal/web's requireRole, so handlers must not
// check roles themselves. Signing in, sessions, second factors, passwords
// and staff accounts are internal/web/staff's. Sealed personal data is
// opened only for display (kit.Env.Unseal) and never written back as shown.
package admin
