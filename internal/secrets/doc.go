// Package secrets holds LostInNL's keys and everything encrypted with them.
//
// Two things use it:
//
//   - Configuration values given as X_ENCRYPTED (DESIGN.md §4) are keeper
//     ciphertext, decrypted once at start-up with Keeper.Decrypt. With an
//     awskms keeper these are plain KMS ciphertext blobs, so `aws kms encrypt`
//     output works as well as `lostinnl secret encrypt` output.
//   - Personal data (reporter and tipster contact details, TOTP secrets) is
//     sealed per field with FieldCipher, using envelope encryption.
//
// # Keepers
//
// OpenKeeper takes LOSTINNL_SECRETS_KEEPER: one or more keeper URLs separated
// by spaces. The first is the current keeper (it encrypts); the others are
// decrypt-only and exist so that `lostinnl secret rotate` can move data from an
// old key to a new one (for example from the default local key file to KMS).
//
//	""                       local key file <dataDir>/secret.key (created 0600 on first run)
//	keyfile:///abs/path      an existing local key file
//	base64key://KEY          a 32-byte key in URL-safe base64 (tests and development)
//	awskms://alias/NAME?region=R[&endpoint=URL][&context_K=V...]
//	                         AWS KMS; the key is looked up by the alias on every encrypt
//
// # Envelope format (versions 1 and 2)
//
// A sealed field value is:
//
//	offset  size  content
//	0       1     format version, 0x01 or 0x02
//	1       8     key id: which keeper key wrapped the data key (see below)
//	9       2     L, length of the wrapped data key, big-endian uint16
//	11      L     wrapped data key: the keeper's encryption of a fresh random 32-byte key
//	11+L    12    AES-GCM nonce (random)
//	23+L    n+16  AES-256-GCM ciphertext of the field value, with its 16-byte tag
//
// The GCM associated data binds the value to where it is stored:
//
//	0x01 | uint16 len(table) | table | uint16 len(column) | column | int64 rowID
//
// (all big-endian, lengths before strings so the encoding is unambiguous), so
// a sealed value copied onto another row, column or table fails to open.
// Version 2 differs only there: it binds to a random seal token kept in the
// row instead of the row id,
//
//	0x02 | uint16 len(table) | table | uint16 len(column) | column | uint16 len(token) | token
//
// so the store can seal a new row's fields before the row (and its id)
// exists, outside its write transaction. SealRow seals all of a row's
// fields under one data key (one keeper call per row; each field still
// carries its own copy of the wrapped key, so rotation works field by
// field). Values of either version open and rotate; the version byte picks
// the binding, and changing it changes the associated data, so it cannot be
// used to move a value.
// The header (key id, wrapped key) is deliberately NOT in the associated
// data: rotation replaces exactly those bytes and leaves the nonce and
// ciphertext untouched, so a rotation never needs to re-encrypt — and never
// holds — the personal data itself except to verify it. Tampering with the
// header is still caught: a wrong wrapped key unwraps to garbage (or fails
// in the keeper) and GCM then rejects the ciphertext.
//
// # Key ids ("key versions")
//
// The key id is 8 bytes that name the keeper key without revealing it:
//
//   - local and base64key keepers: the first 8 bytes of
//     HMAC-SHA256(key, "lostinnl key id v1"), so each distinct key has its
//     own id and the id tells nothing about the key.
//   - awskms: the first 8 bytes of SHA-256("lostinnl awskms v1\x00" + ARN),
//     where ARN is the key ARN that KMS reports for that very Encrypt call.
//     An alias is only a pointer; recording the key that actually wrapped each
//     data key means that after `aws kms update-alias` points the alias at a
//     new key, Rotate can tell which records are still under the old key. The
//     keeper learns the current key by a probe Encrypt when it opens and
//     again when a rotation starts.
//
// Rotate re-wraps every data key whose key id differs from the keeper's
// current key id and counts the rest as already current.
package secrets
