// Package shareimg owns the link-preview picture of a case: the 1200×630
// JPEG that og:image and twitter:image name, with the photo on the left
// (cropped to fill its panel, never stretched) and the name, "Missing
// since …", the place and the site's name on the right, in the Go fonts
// (BSD licence, see internal/typeset), white on dark blue for contrast.
// Without a photo the text takes the whole width.
//
// It is pure Go (golang.org/x/image/font/opentype and x/image/draw, no
// cgo) and guarantees the texts stay inside their margins: they are wrapped,
// shrunk and then cut with an ellipsis.
//
// It must not do HTTP, read the store or blob storage, or cache: the web
// layer passes the case's formatted fields and a JPEG variant of its
// primary photo (media.VariantMedium is enough for a 504-pixel panel),
// refuses closed cases (410), and caches the bytes per case revision.
package shareimg
