package site

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// Photos attached to the report form are kept across a form that comes
// back with an error (issue 13): each photo is processed and stored as it
// arrives, and held (store.HoldReportPhotos) under the form's token, which
// travels in a hidden field (formTokenField) of the re-displayed form. The
// form shows them as thumbnails, each with a "Remove" submit button; new
// photos chosen on it are added, up to maxReportPhotos in all. Sending the
// report moves them into the case in the case's own transaction. A hold
// nobody sends expires after store.FormHoldLifetime and the retention job
// deletes it. No JavaScript is involved.

// formTokenField is the hidden field carrying the form's token.
const formTokenField = "form_token"

// removePhotoField is the name of the "Remove" buttons; the value is the
// held photo's id.
const removePhotoField = "remove_photo"

// heldThumb is one held photo as the form shows it.
type heldThumb struct {
	ID  int64
	Src string
}

// formHold is what one post of the report form holds: the token ("" until
// a photo is held) and its photos in order.
type formHold struct {
	token  string
	photos []store.HeldPhoto
}

// loadHold returns the hold named by the posted token. An unknown, expired
// or malformed token holds nothing, and is dropped: a new one is drawn
// when a photo is first held, so no post can choose the token its photos
// are held under.
func (h *handler) loadHold(ctx context.Context, token string) (formHold, error) {
	if !store.ValidFormToken(token) {
		return formHold{}, nil
	}
	photos, err := h.Store.HeldReportPhotos(ctx, token, h.Now())
	if err != nil || len(photos) == 0 {
		return formHold{}, err
	}
	return formHold{token: token, photos: photos}, nil
}

func (fh formHold) ids() []int64 {
	ids := make([]int64, len(fh.photos))
	for i, p := range fh.photos {
		ids[i] = p.ID
	}
	return ids
}

// thumbs is the hold for the template. The thumbnail URL carries the
// token: an <img> can carry nothing else. The app's access log records
// route patterns only, and nginx writes [token] in its place (see
// deploy/nginx/lostinnl.conf).
func (fh formHold) thumbs() []heldThumb {
	out := make([]heldThumb, len(fh.photos))
	for i, p := range fh.photos {
		out[i] = heldThumb{ID: p.ID, Src: "/submit/photos/" + fh.token + "/" + strconv.FormatInt(p.ID, 10)}
	}
	return out
}

// removeHeld drops one held photo (the "Remove" button): the row first,
// then its blobs (a failure there leaves an orphan for the sweeper). An id
// the hold does not have changes nothing.
func (h *handler) removeHeld(ctx context.Context, fh *formHold, value string) error {
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || fh.token == "" {
		return nil
	}
	p, err := h.Store.ReleaseHeldPhoto(ctx, fh.token, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil // not this form's, or removed already (a double click)
	}
	if err != nil {
		return err
	}
	for i := range fh.photos {
		if fh.photos[i].ID == id {
			fh.photos = append(fh.photos[:i], fh.photos[i+1:]...)
			break
		}
	}
	if h.Bucket != nil {
		if err := h.Bucket.Delete(ctx, p.Key); err != nil {
			h.Log.LogAttrs(ctx, slog.LevelWarn, "removed form photo: blobs not deleted", slog.String("error", err.Error()))
		}
	}
	return nil
}

// holdNew processes the newly chosen files and holds those the pipeline
// accepts, up to the limit with what is held already. Each refused photo
// and the photos over the limit get a message (msgs); the others are kept.
// err is only for failures on our side; then nothing new is held.
func (h *handler) holdNew(r *http.Request, fh *formHold, files []*kit.UploadFile) (msgs []string, err error) {
	take := files[:min(len(files), max(0, kit.MaxReportPhotos-len(fh.photos)))]
	var accepted []*media.Processed
	for i, f := range take {
		p, me, err := form.ProcessPhoto(r.Context(), h.Pipeline, f)
		if err != nil {
			return nil, err
		}
		if me != nil {
			msgs = append(msgs, photoMessage(kit.L(r), i, len(files), me, h.PhotoLimitIn(kit.L(r))))
			continue
		}
		accepted = append(accepted, p)
	}
	if extra := len(files) - len(take); extra > 0 {
		msgs = append(msgs, overLimitMessage(kit.L(r), extra))
	}
	if len(accepted) == 0 {
		return msgs, nil
	}
	token := fh.token
	if token == "" {
		if token, err = store.NewFormToken(); err != nil {
			return nil, err
		}
	}
	ctx := r.Context()
	var held []store.HeldPhoto
	err = h.Bucket.PutAndCommit(ctx, accepted, func(keys []string) error {
		rows := make([]store.HeldPhoto, len(keys))
		for i, k := range keys {
			rows[i] = store.HeldPhoto{Key: k}
			rows[i].Width, rows[i].Height = form.ShownSize(accepted[i])
		}
		var err error
		held, err = h.Store.HoldReportPhotos(ctx, token, rows, kit.MaxReportPhotos, h.Now())
		return err
	})
	if errors.Is(err, store.ErrTooManyPhotos) {
		// The same form sent twice at once: the other post took the room.
		return append(msgs, overLimitMessage(kit.L(r), len(accepted))), nil
	}
	if err != nil {
		return nil, err
	}
	fh.token = token
	fh.photos = append(fh.photos, held...)
	return msgs, nil
}

// heldPhotoCache: these are photos of a report nobody has checked, shown
// only to the person filling in the form. Nothing may keep a copy.
const heldPhotoCache = "no-store"

// reportPhotoShow is GET /submit/photos/{token}/{id}: the thumbnail of a
// photo held for a report form, for the holder of the form's token only.
// Anything else (another form's photo, an expired hold, a malformed token)
// is a 404, exactly like a photo that never existed.
func (h *handler) reportPhotoShow(w http.ResponseWriter, r *http.Request) error {
	if h.Bucket == nil {
		return kit.ErrNotFound()
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return kit.ErrNotFound()
	}
	p, err := h.Store.HeldReportPhoto(r.Context(), r.PathValue("token"), id, h.Now())
	if err != nil {
		return err
	}
	rc, attrs, err := h.Bucket.Open(r.Context(), media.BlobName(p.Key, media.VariantSmall))
	if errors.Is(err, media.ErrNotFound) {
		return kit.ErrNotFound()
	}
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }() // read-only; nothing to flush
	hd := w.Header()
	hd.Set("Content-Type", "image/jpeg")
	hd.Set("Cache-Control", heldPhotoCache)
	hd.Set("Content-Security-Policy", mediaCSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	http.ServeContent(w, r, "", attrs.ModTime, rc)
	return nil
}
