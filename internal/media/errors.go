package media

import (
	"errors"
	"fmt"
)

// Reasons are short, stable machine strings for metrics and logs. They are
// part of the API: dashboards and alerts key on them.
const (
	ReasonType     = "type"     // not a JPEG, PNG, WebP or GIF
	ReasonSize     = "size"     // file larger than Config.MaxFileBytes
	ReasonPixels   = "pixels"   // dimensions (or decoded size) over Config.MaxPixels
	ReasonCorrupt  = "corrupt"  // empty, truncated or undecodable
	ReasonTimeout  = "timeout"  // processing exceeded Config.DecodeTimeout
	ReasonBusy     = "busy"     // no decode slot within Config.QueueTimeout
	ReasonCanceled = "canceled" // the caller's context ended or the upload broke off
)

// Error is a refusal of one uploaded file. Message() is written for the
// person who uploaded it and is safe to show beside the upload field; Error()
// adds the underlying cause for logs. Compare with errors.Is against the
// Err* values below (matching is by Reason), or errors.As to read Reason.
type Error struct {
	Reason string
	msg    string
	cause  error
}

// Message is the user-facing text, e.g. "the file is damaged or truncated".
func (e *Error) Message() string { return e.msg }

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("media: %s (%s): %v", e.msg, e.Reason, e.cause)
	}
	return fmt.Sprintf("media: %s (%s)", e.msg, e.Reason)
}

func (e *Error) Unwrap() error { return e.cause }

// Is makes errors.Is(err, ErrCorrupt) true for every corrupt-file error,
// whatever its message or cause.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == e.Reason
}

// Sentinels for errors.Is. Their messages are the generic ones; the errors
// Process returns may carry a more precise message (e.g. the size limit).
var (
	ErrUnsupportedType = &Error{Reason: ReasonType, msg: "not a JPEG, PNG, WebP or GIF image"}
	ErrTooLarge        = &Error{Reason: ReasonSize, msg: "the file is too large"}
	ErrTooManyPixels   = &Error{Reason: ReasonPixels, msg: "image dimensions are too large"}
	ErrCorrupt         = &Error{Reason: ReasonCorrupt, msg: "the file is damaged or truncated"}
	ErrTimeout         = &Error{Reason: ReasonTimeout, msg: "the image took too long to process"}
	ErrBusy            = &Error{Reason: ReasonBusy, msg: "the server is busy, try again in a minute"}
	ErrCanceled        = &Error{Reason: ReasonCanceled, msg: "the upload was interrupted, try again"}
)

// ErrNotFound is returned by Bucket.Open and friends for unknown or malformed
// blob names. Malformed names are deliberately indistinguishable from missing
// ones so probing reveals nothing.
var ErrNotFound = errors.New("media: not found")

// newError builds a refusal like sentinel but with its own message and cause.
func newError(sentinel *Error, msg string, cause error) *Error {
	if msg == "" {
		msg = sentinel.msg
	}
	return &Error{Reason: sentinel.Reason, msg: msg, cause: cause}
}

// ReasonOf returns the Reason of a pipeline refusal, or "error" for any other
// error (an internal failure) and "ok" for nil. Handy for metrics labels.
func ReasonOf(err error) string {
	if err == nil {
		return "ok"
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return "error"
}
