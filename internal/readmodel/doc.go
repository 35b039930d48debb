// Package readmodel owns the in-process read model of the public pages: an
// immutable snapshot of every public case (missing or located) holding
// what listings, filters, counts, the home page and search show, with its
// sort orders precomputed and a text index built through an injected
// IndexBuilder. Requests read the current snapshot through an atomic
// pointer and never wait on the database or on a rebuild; a new snapshot
// is built in the background when the content revision changes (Watch),
// so every instance sharing one database converges without messages. A
// new snapshot is patched from the previous one with the cases the
// store's change log names (ChangeSource, PageChangeSource), rather than
// read whole, unless the log cannot say what changed.
//
// It must not write to the database, know about HTTP, templates or the
// page cache, or hold private fields (reporter contact, police notes never
// reach it: store.PublicCases does not read them). The database stays the
// source of truth; the case page keeps reading its one row by primary key
// (it shows every field, all photos and the updates, which the model
// deliberately does not keep, and a row read is never stale).
//
// Wiring, in short: at start-up New(ctx, st, build, logger) with build
// adapting internal/search; a background goroutine runs
// Watch(ctx, st.NewRevisionReader().Read, interval); handlers call Query
// (listings, the API, search), QueryPrefix (live search) and Home; a
// handler that changed public content calls Nudge; the page cache's
// watcher reads ConfirmedRevision instead of the database.
package readmodel
