// Package feed writes Atom 1.0 documents (RFC 4287) and builds the site's
// three feeds from store types: every open (missing) case, the open cases
// of one region, and one open case's public updates.
//
// It owns the Atom vocabulary, the cleaning of text for XML 1.0, and the
// validators (ETag, Last-Modified) of a rendered feed. It must not read the
// database, serve HTTP, or put any field in a feed that the public case
// page does not show: callers pass cases as the store gives them and the
// builders pick the public fields, leaving closed cases out.
package feed
