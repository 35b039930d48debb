package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Envelope layout constants; see the package comment for the format.
const (
	formatV1       = 0x01 // bound to the row id
	formatV2       = 0x02 // bound to the row's seal token
	maxTokenSize   = 64
	dataKeySize    = 32
	nonceSize      = 12
	tagSize        = 16
	headerFixed    = 1 + keyIDSize + 2 // version, key id, wrapped key length
	maxWrappedSize = 4096              // KMS blobs for 32 bytes are ~200; anything huge is corrupt
	// MaxFieldSize bounds one sealed field's plaintext. Sealed fields are
	// names, phone numbers, e-mail addresses and TOTP secrets.
	MaxFieldSize = 64 << 10
)

// envelope is a parsed sealed value. Its slices alias the input.
type envelope struct {
	version    byte // formatV1 or formatV2: which binding the associated data uses
	keyID      keyID
	wrapped    []byte
	nonce      []byte
	ciphertext []byte // with tag
}

func parseEnvelope(b []byte) (envelope, error) {
	var e envelope
	if len(b) == 0 {
		return e, fmt.Errorf("%w: empty", ErrMalformed)
	}
	if b[0] != formatV1 && b[0] != formatV2 {
		return e, fmt.Errorf("%w: unknown format version %d", ErrMalformed, b[0])
	}
	e.version = b[0]
	if len(b) < headerFixed {
		return e, fmt.Errorf("%w: truncated header", ErrMalformed)
	}
	copy(e.keyID[:], b[1:1+keyIDSize])
	wl := int(binary.BigEndian.Uint16(b[1+keyIDSize:]))
	if wl == 0 || wl > maxWrappedSize {
		return e, fmt.Errorf("%w: wrapped key length %d out of range", ErrMalformed, wl)
	}
	rest := b[headerFixed:]
	if len(rest) < wl+nonceSize+tagSize {
		return e, fmt.Errorf("%w: truncated", ErrMalformed)
	}
	e.wrapped = rest[:wl]
	e.nonce = rest[wl : wl+nonceSize]
	e.ciphertext = rest[wl+nonceSize:]
	return e, nil
}

// marshal writes the envelope in its format version (1 when unset).
func (e envelope) marshal() []byte {
	out := make([]byte, 0, headerFixed+len(e.wrapped)+len(e.nonce)+len(e.ciphertext))
	v := e.version
	if v == 0 {
		v = formatV1
	}
	out = append(out, v)
	out = append(out, e.keyID[:]...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(e.wrapped)))
	out = append(out, e.wrapped...)
	out = append(out, e.nonce...)
	out = append(out, e.ciphertext...)
	return out
}

// binding is the associated data for a value of format version v: the row
// id for version 1, the row's seal token for version 2.
func binding(v byte, table, column string, rowID int64, token []byte) ([]byte, error) {
	if v == formatV2 {
		return tokenAssociatedData(table, column, token)
	}
	return associatedData(table, column, rowID)
}

// tokenAssociatedData is the version 2 encoding of where a value lives:
//
//	0x02 | uint16 len(table) | table | uint16 len(column) | column | uint16 len(token) | token
//
// Its first byte differs from version 1's, so a value cannot be made to
// open under the other binding by changing its version byte.
func tokenAssociatedData(table, column string, token []byte) ([]byte, error) {
	if table == "" || column == "" || len(table) > math.MaxUint16 || len(column) > math.MaxUint16 {
		return nil, errors.New("table and column must be non-empty names")
	}
	if len(token) == 0 || len(token) > maxTokenSize {
		return nil, fmt.Errorf("seal token must be 1 to %d bytes, got %d", maxTokenSize, len(token))
	}
	ad := make([]byte, 0, 1+2+len(table)+2+len(column)+2+len(token))
	ad = append(ad, formatV2)
	ad = binary.BigEndian.AppendUint16(ad, uint16(len(table)))
	ad = append(ad, table...)
	ad = binary.BigEndian.AppendUint16(ad, uint16(len(column)))
	ad = append(ad, column...)
	ad = binary.BigEndian.AppendUint16(ad, uint16(len(token)))
	ad = append(ad, token...)
	return ad, nil
}

// associatedData is the version 1 encoding of where a value lives.
func associatedData(table, column string, rowID int64) ([]byte, error) {
	if table == "" || column == "" || len(table) > math.MaxUint16 || len(column) > math.MaxUint16 {
		return nil, errors.New("table and column must be non-empty names")
	}
	if rowID <= 0 {
		// A value bound to row 0 would mean the caller sealed before the
		// row had an id; every copy of it would open on any such row.
		return nil, fmt.Errorf("row id must be positive, got %d", rowID)
	}
	ad := make([]byte, 0, 1+2+len(table)+2+len(column)+8)
	ad = append(ad, formatV1)
	ad = binary.BigEndian.AppendUint16(ad, uint16(len(table)))
	ad = append(ad, table...)
	ad = binary.BigEndian.AppendUint16(ad, uint16(len(column)))
	ad = append(ad, column...)
	ad = binary.BigEndian.AppendUint64(ad, uint64(rowID))
	return ad, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != dataKeySize {
		// Only a wrong or tampered wrapped key gets here (a keeper that
		// "decrypted" it into something that is not a data key).
		return nil, fmt.Errorf("%w: data key has the wrong size", ErrAuthFailed)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("aes: %w", err)
	}
	return cipher.NewGCM(block)
}
