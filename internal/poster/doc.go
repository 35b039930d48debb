// Package poster owns the printable appeal for one missing person: a
// one-page PDF, US Letter (the default in Canada) or A4, with a large
// MISSING heading, the primary photo, the description, where and when the
// person was last seen, whom to call, a QR code to the case page, the site
// address and the date the poster was made.
//
// It guarantees exactly one page whatever the texts: every block has a
// fixed place on the page, texts shrink and are then cut with an ellipsis
// (internal/typeset), and characters the fonts cannot print are cleaned
// out. Fonts are the Go fonts embedded from the binary (BSD licence, see
// internal/typeset); the PDF is written by codeberg.org/go-pdf/fpdf (MIT).
//
// It must not do HTTP, read the store or blob storage, or cache: the web
// layer fetches the case and the photo's JPEG variant (media.VariantLarge,
// already downscaled, so a 12-megapixel upload costs no more than any
// other), formats the fields as the case page shows them, decides whether
// the case may have a poster at all (not for located or closed cases), and
// caches the bytes per case revision.
package poster
