package media

import (
	"bytes"
	"encoding/binary"
)

// Reading the EXIF orientation ourselves keeps the dependency list short and
// lets us bound every read: the input is hostile, so every offset below is
// checked against the slice it indexes before use. Any malformation simply
// yields orientation 1 (as stored): a broken EXIF block is common in real
// photos and is no reason to refuse an otherwise good image.

const tagOrientation = 0x0112

// orientation returns the EXIF orientation (1–8) of an encoded image, or 1
// when there is none or it cannot be read.
func orientation(format string, b []byte) int {
	var tiff []byte
	switch format {
	case FormatJPEG:
		tiff = jpegEXIF(b)
	case FormatPNG:
		tiff = pngEXIF(b)
	case FormatWebP:
		tiff = webpEXIF(b)
	}
	if tiff == nil {
		return 1
	}
	return tiffOrientation(tiff)
}

var exifHeader = []byte("Exif\x00\x00")

// walkJPEG calls fn for each marker segment (marker, payload) before the
// start of scan, until fn returns false. Malformed structure ends the walk.
func walkJPEG(b []byte, fn func(marker byte, seg []byte) bool) {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
		return
	}
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return // not at a marker: malformed
		}
		marker := b[i+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			i++
			continue
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7): // no length
			i += 2
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan / end of image
			return
		}
		n := int(binary.BigEndian.Uint16(b[i+2 : i+4])) // includes its own 2 bytes
		if n < 2 || i+2+n > len(b) {
			return
		}
		if !fn(marker, b[i+4:i+2+n]) {
			return
		}
		i += 2 + n
	}
}

// jpegEXIF returns the TIFF payload of the first APP1 "Exif" segment.
func jpegEXIF(b []byte) []byte {
	var tiff []byte
	walkJPEG(b, func(marker byte, seg []byte) bool {
		if marker == 0xE1 && bytes.HasPrefix(seg, exifHeader) {
			tiff = seg[len(exifHeader):]
			return false
		}
		return true
	})
	return tiff
}

// pngEXIF returns the payload of the eXIf chunk, if any.
func pngEXIF(b []byte) []byte {
	const sigLen = 8
	i := sigLen
	for i+8 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[i : i+4]))
		typ := string(b[i+4 : i+8])
		if n < 0 || n > len(b)-i-12 { // data plus 4-byte CRC must fit
			return nil
		}
		if typ == "eXIf" {
			return b[i+8 : i+8+n]
		}
		if typ == "IEND" {
			return nil
		}
		i += 12 + n
	}
	return nil
}

// webpEXIF returns the payload of the RIFF "EXIF" chunk, if any. Some
// writers prefix it with "Exif\0\0" like JPEG does; both forms are accepted.
func webpEXIF(b []byte) []byte {
	i := 12 // "RIFF" size "WEBP"
	for i+8 <= len(b) {
		n := int(binary.LittleEndian.Uint32(b[i+4 : i+8]))
		if n < 0 || n > len(b)-i-8 {
			return nil
		}
		if string(b[i:i+4]) == "EXIF" {
			p := b[i+8 : i+8+n]
			return bytes.TrimPrefix(p, exifHeader)
		}
		i += 8 + n + n&1 // chunks are padded to an even size
	}
	return nil
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF structure.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:4]) != 42 {
		return 1
	}
	ifd := bo.Uint32(t[4:8])
	if ifd < 8 || uint64(ifd)+2 > uint64(len(t)) {
		return 1
	}
	off := int(ifd)
	count := int(bo.Uint16(t[off : off+2]))
	off += 2
	for k := 0; k < count; k++ {
		e := off + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:e+2]) != tagOrientation {
			continue
		}
		typ := bo.Uint16(t[e+2 : e+4])
		n := bo.Uint32(t[e+4 : e+8])
		if typ != 3 || n != 1 { // SHORT, one value, stored inline
			return 1
		}
		v := int(bo.Uint16(t[e+8 : e+10]))
		if v < 1 || v > 8 {
			return 1
		}
		return v
	}
	return 1
}
