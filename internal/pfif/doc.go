// Package pfif reads and writes PFIF 1.4, the People Finder Interchange
// Format (namespace http://zesty.ca/pfif/1.4) that Google Person Finder
// used to exchange missing-person records.
//
// Export writes the open public cases as person records with only the
// fields the public case page shows, and closed cases as expired records
// (all personal fields blank, per the format's expiry rules) so partners
// delete their copies. Parse reads a partner's document defensively: a
// size limit checked while streaming, no DOCTYPE (so no entity expansion
// of any kind), depth and element limits, errors with line numbers.
//
// It must not touch the database or serve HTTP: turning a Person into a
// pending case is ToCase, and storing it is the caller's (lostinnl pfif
// import).
package pfif
