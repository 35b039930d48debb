package form

import (
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/kit"
)

// smallFormLimit bounds the body of the tip and contact forms. It is well
// above what the field limits allow (so an over-long field gets a message
// beside it, not an error page) and far below anything that could hurt.
const smallFormLimit = 1 << 20

// ReadSmallForm reads an urlencoded (or, if a client insists, multipart
// without files) form body with a size cap.
func ReadSmallForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, smallFormLimit)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		// These forms have no file field: file parts are read and dropped,
		// never written anywhere.
		vals, _, err := kit.ReadMultipart(r, "", "", smallFormLimit)
		if err != nil {
			return nil, formParseError(err)
		}
		return vals, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, formParseError(err)
	}
	return r.PostForm, nil
}

// ReadReportForm reads the multipart report form (photos included) with
// the upload cap. Photos are spooled into the upload folder (see
// kit/upload_spool.go), never into /tmp. The caller must call cleanup, which
// deletes them.
func ReadReportForm(env *kit.Env, w http.ResponseWriter, r *http.Request) (url.Values, []*kit.UploadFile, func(), error) {
	r.Body = http.MaxBytesReader(w, r.Body, env.MaxUpload)
	cleanup := func() {}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		// Accept a plain urlencoded post too (no photos): curl and old tools.
		if err := r.ParseForm(); err != nil {
			return nil, nil, cleanup, formParseError(err)
		}
		return r.PostForm, nil, cleanup, nil
	}
	// Up to 1 MB of fields in memory; photo parts go to the spool.
	dir := ""
	if env.Uploads != nil {
		dir = env.Uploads.Dir
	}
	vals, all, err := kit.ReadMultipart(r, dir, "photos", kit.ReportFieldsLimit)
	if env.Uploads != nil && (errors.Is(err, kit.ErrSpool) || err == nil && len(all) > 0) {
		env.Uploads.NoteWrite(err)
	}
	if errors.Is(err, kit.ErrSpool) {
		// The values are all there (see readMultipart): the caller shows
		// the form again with them, rather than an error page.
		return vals, nil, cleanup, err
	}
	if err != nil {
		return nil, nil, cleanup, formParseError(err)
	}
	cleanup = func() { kit.RemoveUploads(all) }
	var files []*kit.UploadFile
	for _, fh := range all {
		// Browsers send one empty part when no file was chosen.
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		files = append(files, fh)
	}
	return vals, files, cleanup, nil
}

func formParseError(err error) error {
	if errors.Is(err, kit.ErrSpool) {
		return err // our disk, not the client's form: a 5xx
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || errors.Is(err, multipart.ErrMessageTooLarge) {
		return kit.ErrTooLarge()
	}
	return &kit.HTTPError{Status: http.StatusBadRequest, Msg: i18n.Mark("The form could not be read. Please go back and send it again."), Err: err}
}
