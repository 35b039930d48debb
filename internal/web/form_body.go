package web

import (
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
)

// smallFormLimit bounds the body of the tip and contact forms. It is well
// above what the field limits allow (so an over-long field gets a message
// beside it, not an error page) and far below anything that could hurt.
const smallFormLimit = 1 << 20

// readSmallForm reads an urlencoded (or, if a client insists, multipart
// without files) form body with a size cap.
func (h *handler) readSmallForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, smallFormLimit)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if mt == "multipart/form-data" {
		err = r.ParseMultipartForm(smallFormLimit)
		if r.MultipartForm != nil {
			defer func() { _ = r.MultipartForm.RemoveAll() }() // temp files only
		}
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return nil, formParseError(err)
	}
	return r.PostForm, nil
}

// readReportForm reads the multipart report form (photos included) with
// the upload cap. The caller must call cleanup.
func (h *handler) readReportForm(w http.ResponseWriter, r *http.Request) (url.Values, []*multipart.FileHeader, func(), error) {
	r.Body = http.MaxBytesReader(w, r.Body, h.maxUpload)
	cleanup := func() {}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		// Accept a plain urlencoded post too (no photos): curl and old tools.
		if err := r.ParseForm(); err != nil {
			return nil, nil, cleanup, formParseError(err)
		}
		return r.PostForm, nil, cleanup, nil
	}
	// Up to 1 MB of fields in memory; photo parts spill to temporary files.
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if r.MultipartForm != nil {
			_ = r.MultipartForm.RemoveAll()
		}
		return nil, nil, cleanup, formParseError(err)
	}
	cleanup = func() { _ = r.MultipartForm.RemoveAll() } // temp files only
	var files []*multipart.FileHeader
	for _, fh := range r.MultipartForm.File["photos"] {
		// Browsers send one empty part when no file was chosen.
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		files = append(files, fh)
	}
	return r.PostForm, files, cleanup, nil
}

func formParseError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || errors.Is(err, multipart.ErrMessageTooLarge) {
		return errTooLarge()
	}
	return &httpError{status: http.StatusBadRequest, msg: "The form could not be read. Please go back and send it again.", err: err}
}
