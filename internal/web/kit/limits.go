package kit

import (
	"fmt"
	"strconv"

	"lostinnl/internal/i18n"
	"lostinnl/internal/media"
)

// PhotoLimit is the per-photo size limit as people read it ("10 MB"): the
// pipeline's MaxFileBytes, which the CLI sets from LOSTINNL_MAX_UPLOAD_MB.
// Pages that quote a limit take it from here so they cannot drift from what
// the site really accepts.
func (h *Env) PhotoLimit() string { return SizeText(h.photoBytes()) }

// PhotoLimitIn is PhotoLimit in lz's language ("10 Mo" in French).
func (h *Env) PhotoLimitIn(lz *i18n.Localizer) string { return SizeTextIn(lz, h.photoBytes()) }

func (h *Env) photoBytes() int64 {
	if h.Pipeline != nil {
		return h.Pipeline.Config().MaxFileBytes
	}
	return int64(media.DefaultMaxFileBytes)
}

// SizeTextIn is SizeText in lz's language: French writes Mo and Ko, and a
// decimal comma. English output is SizeText's.
func SizeTextIn(lz *i18n.Localizer, n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return lz.T("{n} MB", "n", strconv.FormatInt(n>>20, 10))
	case n >= 1<<20:
		return lz.T("{n} MB", "n", lz.Decimal(float64(n)/(1<<20)))
	}
	return lz.T("{n} KB", "n", strconv.FormatInt((n+1023)>>10, 10))
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
