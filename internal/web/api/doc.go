// Package api is the read-only JSON API under /api/v1/ (DESIGN.md §3): the
// public case listing and one case, in the same shape as the public pages
// show them and never more (no pending cases, no contacts, no tips).
//
// It owns the JSON view of a case and its route table (Routes); it must
// not write, render HTML, or reach anything private. Errors go to kit's
// wrapper, which answers JSON under /api/.
package api
