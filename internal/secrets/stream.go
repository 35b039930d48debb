package secrets

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxStreamInput bounds what `lostinnl secret encrypt|decrypt` reads from
// stdin: keeper values are at most 4096 bytes, so their base64 is well under
// this, and a mistaken `< bigfile` fails fast instead of filling memory.
const maxStreamInput = 64 << 10

// EncryptStream reads a secret from r, encrypts it with k and writes the
// ciphertext to w as standard base64 followed by a newline — the form
// X_ENCRYPTED configuration values take. One trailing newline ("\n" or
// "\r\n") is removed from the input first, because `echo secret | lostinnl
// secret encrypt` would otherwise encrypt a newline that nobody meant to be
// part of a password or URL. (A secret that really ends in a newline needs
// one extra newline on input.)
func EncryptStream(ctx context.Context, k *Keeper, r io.Reader, w io.Writer) error {
	in, err := readLimited(r)
	if err != nil {
		return fmt.Errorf("secret encrypt: %w", err)
	}
	defer clear(in)
	pt := trimOneNewline(in)
	if len(pt) == 0 {
		return errors.New("secret encrypt: nothing to encrypt: standard input was empty")
	}
	ct, err := k.Encrypt(ctx, pt)
	if err != nil {
		return fmt.Errorf("secret encrypt: %w", err)
	}
	if _, err := io.WriteString(w, base64.StdEncoding.EncodeToString(ct)+"\n"); err != nil {
		return fmt.Errorf("secret encrypt: write output: %w", err)
	}
	return nil
}

// DecryptStream reads base64 ciphertext from r (whitespace anywhere is
// ignored, so wrapped or indented text works), decrypts it with k and writes
// the plaintext to w exactly, without adding a newline.
func DecryptStream(ctx context.Context, k *Keeper, r io.Reader, w io.Writer) error {
	in, err := readLimited(r)
	if err != nil {
		return fmt.Errorf("secret decrypt: %w", err)
	}
	pt, err := k.DecryptBase64(ctx, string(in))
	if err != nil {
		return fmt.Errorf("secret decrypt: %w", err)
	}
	defer clear(pt)
	if _, err := w.Write(pt); err != nil {
		return fmt.Errorf("secret decrypt: write output: %w", err)
	}
	return nil
}

// EncryptBase64 encrypts plaintext and returns standard base64 ciphertext.
func (k *Keeper) EncryptBase64(ctx context.Context, plaintext []byte) (string, error) {
	ct, err := k.Encrypt(ctx, plaintext)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

// DecryptBase64 decrypts an X_ENCRYPTED style value: base64 ciphertext,
// whitespace anywhere ignored, padded or unpadded. Its errors say what is
// wrong (not base64, empty, wrong key or tampered) without repeating the
// value, so configuration code can print them next to the key name.
func (k *Keeper) DecryptBase64(ctx context.Context, b64 string) ([]byte, error) {
	compact := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			return -1
		}
		return r
	}, b64)
	if compact == "" {
		return nil, errors.New("no ciphertext given (empty value)")
	}
	ct, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		ct, err = base64.RawStdEncoding.DecodeString(compact)
	}
	if err != nil {
		// base64's error names a byte offset only; still, keep our own words.
		return nil, errors.New("value is not valid base64 ciphertext")
	}
	pt, err := k.Decrypt(ctx, ct)
	if err != nil {
		return nil, err
	}
	return pt, nil
}

func readLimited(r io.Reader) ([]byte, error) {
	in, err := io.ReadAll(io.LimitReader(r, maxStreamInput+1))
	if err != nil {
		return nil, fmt.Errorf("read input: %w", err)
	}
	if len(in) > maxStreamInput {
		clear(in)
		return nil, fmt.Errorf("input is larger than %d bytes", maxStreamInput)
	}
	return in, nil
}

func trimOneNewline(b []byte) []byte {
	if b2, ok := bytes.CutSuffix(b, []byte("\r\n")); ok {
		return b2
	}
	if b2, ok := bytes.CutSuffix(b, []byte("\n")); ok {
		return b2
	}
	return b
}
