package admin

import (
	"fmt"
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// maxAdminPhotos per upload; a case may collect more over several uploads.
const maxAdminPhotos = 5

// adminPhotoUpload is POST /admin/cases/{id}/photos (multipart "photos").
// Each file goes through the photo pipeline (type sniffing, pixel limits,
// orientation, metadata stripped); then the blobs are stored first and the
// rows added in one transaction with the audit entry. If the transaction
// fails the blobs are deleted again, so no row points at a missing blob and
// no blob is left without a row.
func (h *handler) adminPhotoUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := h.Store.GetCase(ctx, id)
	if err != nil {
		return err
	}
	_, files, cleanup, err := form.ReadReportForm(h.Env, w, r)
	defer cleanup()
	if err != nil {
		return err
	}
	lz := kit.L(r)
	refuse := func(msg string) error {
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, &adminCaseView{Form: form.AdminCaseFormFrom(c, h.openContact(r, c)), PhotoError: msg})
	}
	pl, bucket := h.Pipeline, h.Bucket
	switch {
	case pl == nil || bucket == nil:
		return refuse(lz.T("Photo uploads are not configured on this server."))
	case len(files) == 0:
		return refuse(lz.TC("admin cases", "Choose at least one photo."))
	case len(files) > maxAdminPhotos:
		return refuse(lz.T("Choose at most {n} photos at a time.", "n", maxAdminPhotos))
	}
	processed := make([]*media.Processed, 0, len(files))
	for i, fh := range files {
		p, me, err := form.ProcessPhoto(r.Context(), h.Pipeline, fh) // the report form's too: one pipeline step
		if err != nil {
			return fmt.Errorf("admin photo upload: %w", err)
		}
		if me != nil {
			return refuse(lz.TC("admin cases", "Photo {n} ({file}): {problem}.", "n", i+1, "file", safeFileName(lz, fh.Filename), "problem", lz.T(me.Message())))
		}
		processed = append(processed, p)
	}
	err = bucket.PutAndCommit(ctx, processed, func(keys []string) error {
		photos := make([]store.Photo, len(keys))
		for i, k := range keys {
			photos[i] = store.Photo{Key: k, Alt: "Photo of " + c.FullName}
			photos[i].Width, photos[i].Height = form.ShownSize(processed[i])
		}
		return h.Store.AddPhotos(ctx, id, photos, h.AuditFor(r, "case.photo_add", kit.Plural(len(photos), "photo added", "photos added")))
	})
	if err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#photos", "success", lz.N("{n} photo added.", "{n} photos added.", len(processed)))
}

// safeFileName shortens an uploaded file name for a message (it is shown
// escaped; this only keeps it readable).
func safeFileName(lz *i18n.Localizer, s string) string {
	r := []rune(form.CleanText(s, false))
	if len(r) > 60 {
		r = append(r[:57], '…')
	}
	if len(r) == 0 {
		return lz.TC("admin cases", "unnamed")
	}
	return string(r)
}
