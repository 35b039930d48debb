package site

import (
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/media"
	"lostinnl/internal/web/kit"
)

// Messages of the public forms (report, reporter's link, contact) that
// handlers build, in the request's language (issue 18).

// What a save-failed notice adds when photos were lost with the post.
var (
	photosAgain    = i18n.Mark("Photos have to be chosen again.")
	newPhotosAgain = i18n.Mark("Photos you had just chosen have to be chosen again.")
)

// saveFailed is kit.SaveFailedNotice in the request's language, followed
// by extra (a marked message, or "").
func saveFailed(r *http.Request, extra string) string {
	lz := kit.L(r)
	s := lz.T(kit.SaveFailedNotice)
	if extra != "" {
		s += " " + lz.T(extra)
	}
	return s
}

// photoMessage names the photo by position, not by its file name (which
// is the visitor's, unchecked, and may be anything).
func photoMessage(lz *i18n.Localizer, i, n int, me *media.Error, limit string) string {
	why := photoRefusal(lz, me)
	if n > 1 {
		return lz.T("Photo {i} could not be used: {why}. Use JPEG or PNG photos under {size}, or send the report without photos.", "i", lz.Number(i+1), "why", why, "size", limit)
	}
	return lz.T("The photo could not be used: {why}. Use JPEG or PNG photos under {size}, or send the report without photos.", "why", why, "size", limit)
}

// photoRefusal is why the media pipeline refused a photo. Its messages
// are English (internal/media writes for logs and English pages alike):
// English keeps the pipeline's precise words, other languages get the
// reason's in the catalog.
func photoRefusal(lz *i18n.Localizer, me *media.Error) string {
	if lz.Lang() == i18n.English {
		return me.Message()
	}
	switch me.Reason {
	case media.ReasonType:
		return lz.T("not a JPEG, PNG, WebP or GIF image")
	case media.ReasonSize:
		return lz.T("the file is too large")
	case media.ReasonPixels:
		return lz.T("the image is too large to process; save it as an ordinary JPEG of at most a few thousand pixels a side")
	case media.ReasonTimeout:
		return lz.T("the image took too long to process")
	case media.ReasonBusy:
		return lz.T("the server is busy, try again in a minute")
	case media.ReasonCanceled:
		return lz.T("the upload was interrupted, try again")
	}
	return lz.T("the file is damaged or truncated")
}

// overLimitMessage: n photos were not added, the report being full.
func overLimitMessage(lz *i18n.Localizer, n int) string {
	return lz.N("You can send at most {max} photos with a report: {n} of the photos you chose was not added. Remove a photo below to make room for another.",
		"You can send at most {max} photos with a report: {n} of the photos you chose were not added. Remove a photo below to make room for another.",
		n, "max", lz.Number(kit.MaxReportPhotos))
}
