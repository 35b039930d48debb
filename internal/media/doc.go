// Package media turns uploaded photos into safe, metadata-free JPEG variants
// and keeps them in blob storage.
//
// Photos are the riskiest input the site accepts and its most-viewed
// output. The Pipeline therefore trusts nothing the uploader controls: the
// format is sniffed from the bytes (never the name or Content-Type), the
// header's dimensions and estimated decode memory are checked before any
// pixel is decoded, decodes are bounded by a CPU semaphore, a shared memory
// budget and a deadline, and every variant is re-encoded from pixels, so no
// EXIF (GPS), XMP, ICC profile, comment or trailing data survives. The EXIF
// orientation is applied first, so photos stay upright without it.
//
// Typical use in a handler:
//
//	p, err := pipeline.Process(ctx, file)       // *Error → show err.Message() by the field
//	err = bucket.PutAndCommit(ctx, []*Processed{p}, func(keys []string) error {
//		return store.AddPhotos(ctx, caseID, keys) // the DB transaction
//	})                                            // tx failed → blobs deleted again
//
// Variants are served at VariantURL(key, variant) = "/media/<key>_<variant>.jpg";
// the handler validates the name with ParseName and streams Bucket.Open (or
// redirects to Bucket.SignedURL on S3). See docs/media.md for limits,
// measured cost and the JPEG quality choice.
package media
