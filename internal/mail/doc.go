// Package mail turns LostInNL's events into email and delivers it.
//
// It owns: the message format (Build: text + HTML multipart/alternative,
// RFC 2047 subjects, a stable Message-ID per outbox row, List-Unsubscribe
// with one-click POST, Auto-Submitted; no header can be injected), the
// embedded templates of every kind of message (Render, one typed struct
// per kind), the keys of the subscription scheme (Keys: a keyed blind
// index of addresses and signed, expiring manage/unsubscribe tokens, from
// a master key kept in the database encrypted by the keeper), the fan-out
// worker that expands the store's fan-out rows into outbox messages
// (Fanouts), and the SMTP sender that drains the outbox (Sender: lease a
// batch, one connection per batch, backoff with jitter for temporary
// failures, no retry for permanent ones, an attempt limit).
//
// It must not: write SQL (internal/store does, including the leases that
// keep two instances from sending one message), serve HTTP (the public
// forms and the admin outbox page belong to the web layer, which calls
// the store's Subscribe/ConfirmSubscription/Unsubscribe with the tokens
// and index this package makes), or put personal data of reporters or
// tipsters into staff mail.
package mail
