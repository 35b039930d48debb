package admin

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"lostinnl/internal/web/kit"
)

// adminPhotoDelete is POST /admin/cases/{id}/photos/{pid}/delete: the row
// goes first (with its audit entry), then the blobs. A blob that fails to
// delete is logged; it is already unreachable, as every photo URL is
// checked against the rows.
func (h *handler) adminPhotoDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := kit.PathID(r, "pid")
	if err != nil {
		return err
	}
	p, err := h.Store.DeletePhoto(r.Context(), id, pid, h.AuditFor(r, "case.photo_delete", "photo "+strconv.FormatInt(pid, 10)+" deleted"))
	if err != nil {
		return err
	}
	if b := h.Bucket; b != nil {
		// Detached from the request: the row is gone, the blobs must follow
		// even if the browser leaves now.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
		defer cancel()
		if err := b.Delete(ctx, p.Key); err != nil {
			h.Log.LogAttrs(ctx, slog.LevelError, "photo blobs not deleted",
				slog.String("request_id", h.RequestID(r.Context())), slog.Int64("case_id", id), slog.String("error", err.Error()))
		}
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#photos", "success", kit.L(r).TC("admin cases", "Photo deleted."))
}
