// Package site is the public site: the pages anyone can read (home, the
// case listing and case pages with their photos, resources, about,
// privacy, media) and the public form actions (report a missing person,
// the reporter's private link, tips, contact), one action per file, with
// its route table (Routes).
//
// Handlers here only show what is public (approved, not yet withdrawn)
// and write only through the store's public-form methods; they must not
// reach staff data, decide access (the route table's access rules do), or
// purge the page cache themselves (internal/web does after write routes).
package site
