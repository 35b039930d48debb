// Package admin is moderation, the working part of the admin area: the
// dashboard, pending reports (approve, reject), cases with their photos,
// updates, tips, the reporter's additions, possible duplicates and merging,
// contact messages and the resources page, one action per file, with its
// route table (Routes). The audit log is internal/web/staff's, the outbox
// internal/web/alerts', and a closed case's takedown page
// internal/web/spread's.
//
// Every route here is for signed-in staff; the access rule of each line in
// Routes is enforced by internal/web's requireRole, so handlers must not
// check roles themselves. Signing in, sessions, second factors, passwords
// and staff accounts are internal/web/staff's. Sealed personal data is
// opened only for display (kit.Env.Unseal) and never written back as shown.
package admin
