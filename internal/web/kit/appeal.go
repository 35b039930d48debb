package kit

import (
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// AppealEndedMessage is the whole of what an archived case's addresses
// say: no name, no place, nothing a search engine or a stale share could
// still attach to the person. It is the English msgid: the error page
// shows it in the request's language (ErrorPage translates its detail).
var AppealEndedMessage = i18n.Mark("This appeal has ended and is no longer published. Thank you to everyone who shared it and helped. If you shared or printed it, please delete your post or take the poster down.")

// AppealEnded is the 410 of an archived case's page, photos, poster and
// share picture. kit.ErrorPage marks every 410 noindex.
func AppealEnded() error {
	return &HTTPError{Status: http.StatusGone, Msg: AppealEndedMessage}
}

// PrimaryFirst is the order the case page shows photos in: the primary
// first (the one marked primary, else the first), then the others as stored.
func PrimaryFirst(photos []store.Photo) []store.Photo {
	primary := -1
	for i := range photos {
		if photos[i].Primary {
			primary = i
		}
	}
	if primary <= 0 {
		return photos
	}
	out := make([]store.Photo, 0, len(photos))
	out = append(out, photos[primary])
	out = append(out, photos[:primary]...)
	return append(out, photos[primary+1:]...)
}
