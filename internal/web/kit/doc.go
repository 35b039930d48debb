// Package kit is what every handler package of the web layer builds on: the
// shared handler environment (Env: store, logger, clock, zone, base URL,
// photo URLs, upload spool), the Route type of the route table, the
// error type and the one wrapper that turns errors into error pages (or
// JSON under /api/), rendering with the embedded templates and their
// functions, the embedded static assets, the signed-in user and session in
// the request context, staff page layout with its flash message, and the
// upload spool for multipart forms.
//
// kit knows no URL of the site except the static ones it serves itself
// (/static/, /favicon.ico, /robots.txt): it must not import a handler
// package (site, api, admin, staff, form) nor internal/web, and it holds
// no handler of a page. SQL stays in internal/store.
package kit
