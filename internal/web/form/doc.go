// Package form reads, normalises and validates the forms of the site and
// the admin area: the body readers with their size caps (ReadSmallForm,
// ReadReportForm with photos spooled to disk), the text rules (CleanText,
// FormReader), one struct per form with its Validate, and ProcessPhoto, the
// one media-pipeline step of every photo upload (report form, reporter's
// link, admin upload).
//
// A form never writes: it turns request values into store values and
// messages (field → plain-words text). It must not render pages, choose
// statuses beyond "too large / unreadable", or call the store; handlers in
// site, admin and staff do that.
package form
