package kit

import (
	"fmt"

	"lostinnl/internal/media"
)

// PhotoLimit is the per-photo size limit as people read it ("10 MB"): the
// pipeline's MaxFileBytes, which the CLI sets from LOSTINNL_MAX_UPLOAD_MB.
// Pages that quote a limit take it from here so they cannot drift from what
// the site really accepts.
func (h *Env) PhotoLimit() string {
	n := int64(media.DefaultMaxFileBytes)
	if h.Pipeline != nil {
		n = h.Pipeline.Config().MaxFileBytes
	}
	return SizeText(n)
}

// SizeText renders a byte count in whole (or one-decimal) megabytes, or
// kilobytes below one.
func SizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)>>10)
}

// MaxReportPhotos is the most photos one form takes (the report form, the
// reporter's additions and the admin upload share it).
const MaxReportPhotos = 5
