package config

// Default retention periods, in days, of what the retention job deletes
// (internal/retention). The privacy page states the configured values.
//
//   - Unpublished reports (pending), 90 days after their last change: a
//     moderator must reach the police before publishing, which can take
//     weeks; three months without anyone touching a report means it was
//     abandoned, and a report holds the most sensitive data we keep (the
//     reporter's contact, photos of the missing person).
//   - Rejected reports, 30 days after the rejection: long enough for the
//     reporter to ask why and for a mistaken rejection to be undone
//     (rejected → pending), short because a rejected report serves no one.
//   - Tips, 365 days after they were received: the team forwards useful
//     tips to the police within days and the police keep their own record;
//     a year lets the team re-read the tips of a long-running case or
//     answer a question about one, then the tipster's contact goes.
//   - Contact messages, 180 days after they were received: enough to
//     follow up a conversation or a complaint; they are often unrelated to
//     any case and need not outlive it.
//
// Located cases' photos and personal details leave the public page after
// LOSTINNL_LOCATED_RETENTION_DAYS (30), a separate rule (DESIGN.md §2).
// From the moment a case is located its page shows only the name and the
// "Located" notice; after LOSTINNL_LOCATED_PUBLIC_DAYS (30) the case is
// archived and its address answers 410 Gone. Thirty days: long enough for
// the people who shared the appeal to see that the person was found, and
// no longer than the photos are kept.
const (
	DefaultLocatedRetentionDays  = 30
	DefaultLocatedPublicDays     = 30
	DefaultPendingRetentionDays  = 90
	DefaultRejectedRetentionDays = 30
	DefaultTipRetentionDays      = 365
	DefaultMessageRetentionDays  = 180
)
