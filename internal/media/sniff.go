package media

import "bytes"

// Source formats we accept. Values are used in logs and Processed.Format.
const (
	FormatJPEG = "jpeg"
	FormatPNG  = "png"
	FormatGIF  = "gif"
	FormatWebP = "webp"
)

// sniff identifies the format from the leading bytes alone. File names and
// the client's Content-Type are never consulted: both are chosen by the
// uploader. Only the exact signatures of the four formats we decode pass;
// SVG, HTML, PHP and everything else fail here, before any decoder runs.
func sniff(b []byte) (string, bool) {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return FormatJPEG, true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG, true
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return FormatGIF, true
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return FormatWebP, true
	}
	return "", false
}
