// Package alerts serves the public side of email alerts (issue 16):
// "Email me when this case changes" on a case page, the area alerts page,
// confirming a subscription from its mailed link, and the manage page
// behind every message's unsubscribe link, including the RFC 8058
// one-click POST that mail providers send; and, for admins, the outbox
// (/admin/outbox: every message the site sent or would send, with the
// "mail is not configured" banner and sending a failed one again).
//
// It owns those pages and their answers: one answer page for every
// subscription request whatever the store did (no one can learn whether
// an address is subscribed), confirmation by POST only (mail scanners
// follow GET links), and links checked by their signature before anything
// is read.
//
// It must not: write SQL or keep state (internal/store does, in one
// transaction per action), build or sign mail (internal/mail makes the
// request, the tokens and the blind index), or show anyone an address:
// the pages never print the subscriber's address, only what they follow.
package alerts
