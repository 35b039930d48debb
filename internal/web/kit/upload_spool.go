package kit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
)

// Uploaded photos arrive with their original metadata (EXIF, GPS position
// of a family's home). Go's multipart parser spools large file parts to
// os.TempDir() and removes them only when the handler calls RemoveAll: a
// process killed mid-upload (kill -9, OOM) leaves them in /tmp for good.
// So file parts are written, by readMultipart, only into the upload spool:
// a folder of its own inside the data directory (0700).
//
// Several processes may share a data directory (docs/operations.md runs two
// instances side by side on one host), so each process spools into its own
// subfolder, and holds an exclusive flock on a lock file inside it for as
// long as it runs. The kernel releases that lock when the process dies,
// however it dies. At start-up, every subfolder whose lock can be taken
// belongs to a dead process and is removed with everything in it; folders
// of live processes are left alone. The scan and the creation of the new
// subfolder happen under a lock on the spool itself, so two processes
// starting together cannot remove each other's folder.

// FormMaxParts bounds the parts of one multipart body (the report form has
// about 25 fields and up to 5 photos): more is a 413, like a body too big.
const FormMaxParts = 100

// ReportFieldsLimit bounds the bytes of the non-file fields of the report
// form, which are kept in memory (as ParseMultipartForm(1 MB) did).
const ReportFieldsLimit = 1 << 20

// LockName is the lock file, in the spool root and in each subfolder.
const LockName = ".lock"

// UploadSpool is this process's folder in the upload spool. Keep it for as
// long as the process serves uploads (its open lock file is what marks the
// folder as in use); Close removes the folder.
type UploadSpool struct {
	Dir  string
	Lock *os.File
	// failedWrites counts uploads that could not be spooled, in a row (a
	// full or broken data disk); 0 after any success. /readyz reads it.
	failedWrites atomic.Int64
}

// NoteWrite records whether spooling an upload's files worked.
func (s *UploadSpool) NoteWrite(err error) {
	if err == nil {
		s.failedWrites.Store(0)
		return
	}
	s.failedWrites.Add(1)
}

// FailedWrites is how many uploads in a row could not be spooled.
func (s *UploadSpool) FailedWrites() int64 { return s.failedWrites.Load() }

// spoolProbeSize is big enough to need fresh blocks on the disk (a few
// bytes can fit in space a full file system still has in part-used blocks).
const spoolProbeSize = 64 << 10

// ProbeWrite writes and removes a file in the spool, recording the outcome
// like an upload: once uploads have been failing, /readyz uses it to find
// out when the disk has room again without waiting for a visitor.
func (s *UploadSpool) ProbeWrite(ctx context.Context) error {
	f, err := os.CreateTemp(s.Dir, "probe-*")
	if err == nil {
		_, err = f.Write(make([]byte, spoolProbeSize))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		_ = os.Remove(f.Name()) // best effort: the write is what is measured
	}
	s.NoteWrite(err)
	if err != nil {
		return fmt.Errorf("upload spool: probe write: %w", err)
	}
	return nil
}

// OpenUploadSpool prepares the spool root (created 0700, or tightened to
// 0700; a symbolic link is refused, so the clean-up can never reach outside
// the data directory), removes what dead processes left in it (raw photos
// of uploads they never finished), and makes this process's own folder.
// Call it once at start-up, before serving.
func OpenUploadSpool(root string) (*UploadSpool, error) {
	if root == "" {
		return nil, errors.New("upload spool: no folder given")
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("upload spool: %w", err)
	}
	fi, err := os.Lstat(root)
	if err != nil {
		return nil, fmt.Errorf("upload spool: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("upload spool: %s is not a directory", root)
	}
	if err := os.Chmod(root, 0o700); err != nil {
		return nil, fmt.Errorf("upload spool: %w", err)
	}
	rootLock, err := os.OpenFile(filepath.Join(root, LockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("upload spool: %w", err)
	}
	defer rootLock.Close() // releases the root lock; our folder's lock stays
	if err := lockFile(rootLock, true); err != nil {
		return nil, fmt.Errorf("upload spool: lock %s: %w", root, err)
	}
	if err := removeDeadSpools(root); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(root, "p-") // 0700
	if err != nil {
		return nil, fmt.Errorf("upload spool: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		if err = lockFile(lock, false); err != nil {
			lock.Close()
		}
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("upload spool: lock own folder: %w", err)
	}
	return &UploadSpool{Dir: dir, Lock: lock}, nil
}

// removeDeadSpools removes every entry of root but the root lock and the
// folders of live processes.
func removeDeadSpools(root string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("upload spool: %w", err)
	}
	for _, e := range entries {
		if e.Name() == LockName {
			continue
		}
		path := filepath.Join(root, e.Name())
		if e.IsDir() && spoolInUse(path) {
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			return fmt.Errorf("upload spool: remove leftover: %w", err)
		}
	}
	return nil
}

// spoolInUse reports whether a live process holds dir's lock.
func spoolInUse(dir string) bool {
	f, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR, 0)
	if err != nil {
		return false // no lock file: not a live process's folder
	}
	defer f.Close()
	return errors.Is(lockFile(f, false), errLocked)
}

// Close removes this process's folder and releases its lock.
func (s *UploadSpool) Close() error {
	err := os.RemoveAll(s.Dir)
	if cerr := s.Lock.Close(); err == nil {
		err = cerr
	}
	return err
}

// UploadFile is one file part of a multipart form, spooled to disk.
type UploadFile struct {
	Filename string // the client's name for it (base name only); unchecked
	Size     int64
	path     string // "" when no spool is configured: counted, not kept
}

// Open returns the spooled file. It is an *os.File, so the photo pipeline
// knows its size and reads it into an exactly sized buffer.
func (u *UploadFile) Open() (*os.File, error) {
	if u.path == "" {
		return nil, errors.New("upload was not kept: no upload spool configured")
	}
	return os.Open(u.path)
}

// RemoveUploads deletes spooled files (already gone is fine).
func RemoveUploads(files []*UploadFile) {
	for _, f := range files {
		if f.path != "" {
			_ = os.Remove(f.path) // best effort: the next start empties the spool anyway
		}
	}
}

// ReadMultipart reads a multipart/form-data body part by part. Non-file
// fields are kept in memory up to fieldsLimit bytes in total; file parts
// named fileField are written to a new file in dir (none of them when dir is
// "": then they are only counted); other file parts are read and dropped.
// Going over fieldsLimit or formMaxParts is multipart.ErrMessageTooLarge. On
// error nothing stays spooled. The caller caps the body (MaxBytesReader).
//
// When the spool cannot be written (a full disk) the rest of the body is
// still read, files dropped, and the error (errSpool) comes back with every
// value: the form can then be shown again with what the person typed.
func ReadMultipart(r *http.Request, dir, fileField string, fieldsLimit int64) (vals url.Values, files []*UploadFile, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, err
	}
	var spoolErr error
	defer func() {
		if err != nil {
			RemoveUploads(files)
			files = nil
			if !errors.Is(err, ErrSpool) {
				vals = nil
			}
		}
	}()
	vals = url.Values{}
	var fieldBytes int64
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return vals, files, spoolErr
		}
		if err != nil {
			return vals, files, err
		}
		if parts >= FormMaxParts {
			return vals, files, multipart.ErrMessageTooLarge
		}
		name := p.FormName()
		switch {
		case name == "":
			// Not a form field (as ParseMultipartForm: skipped).
			if _, err := io.Copy(io.Discard, p); err != nil {
				return vals, files, err
			}
		case p.FileName() == "":
			// A value. Browsers also send an empty file input as a part
			// with filename="", which lands here, as it did before.
			b, err := io.ReadAll(io.LimitReader(p, fieldsLimit-fieldBytes+1))
			if err != nil {
				return vals, files, err
			}
			fieldBytes += int64(len(b))
			if fieldBytes > fieldsLimit {
				return vals, files, multipart.ErrMessageTooLarge
			}
			vals.Add(name, string(b))
		case name != fileField:
			if _, err := io.Copy(io.Discard, p); err != nil {
				return vals, files, err
			}
		default:
			f, err := spoolPart(dir, p)
			if f != nil {
				files = append(files, f)
			}
			if errors.Is(err, ErrSpool) && spoolErr == nil {
				// Our disk, not the request: read on (dropping files)
				// so every typed value is kept for the form.
				spoolErr, dir = err, ""
				continue
			}
			if err != nil {
				return vals, files, err
			}
		}
	}
}

// spoolPart writes one file part into dir. The file is created before the
// first byte is read, so a crash mid-upload leaves it there, where the next
// start removes it. On a read error the returned file (with its path) is
// still returned, for the caller's clean-up.
func spoolPart(dir string, p *multipart.Part) (*UploadFile, error) {
	u := &UploadFile{Filename: p.FileName()}
	if dir == "" {
		n, err := io.Copy(io.Discard, p)
		u.Size = n
		return u, err
	}
	f, err := os.CreateTemp(dir, "upload-*") // 0600
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSpool, err)
	}
	u.path = f.Name()
	n, err := io.Copy(spoolWriter{f}, p)
	u.Size = n
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("%w: %w", ErrSpool, cerr)
	}
	return u, err
}

// ErrSpool marks a failure to write the spool (a full disk): ours, not the
// client's, so it must not become the 400 of an unreadable form.
var ErrSpool = errors.New("upload spool")

// spoolWriter tags write errors with errSpool, so they can be told from
// errors reading the request body.
type spoolWriter struct{ f *os.File }

func (w spoolWriter) Write(b []byte) (int, error) {
	n, err := w.f.Write(b)
	if err != nil {
		err = fmt.Errorf("%w: %w", ErrSpool, err)
	}
	return n, err
}
