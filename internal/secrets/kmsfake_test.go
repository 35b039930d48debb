package secrets

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
)

// The AWS KMS tests run the production awskms:// keeper, with the real AWS
// SDK client and its HTTP path, against fakeKMS: an httptest server on
// 127.0.0.1 that speaks the KMS JSON protocol (AWS JSON 1.1: a POST with
// X-Amz-Target "TrentService.<Operation>", JSON bodies whose binary fields
// are base64, errors as {"__type": ..., "message": ...}) for the three
// operations an application uses: Encrypt, Decrypt and GenerateDataKey.
// Keys, aliases and their state are managed by Go methods, as an operator
// would in the console; the application never does that.
//
// It really encrypts: each key is a random AES-256-GCM key, and a blob
// carries the id of the key that made it, so a blob relabelled to another
// key, a tampered blob, or the wrong encryption context fails as KMS fails
// (InvalidCiphertextException), and a disabled key answers DisabledException.

const (
	testRegion  = "ca-central-1"
	testAccount = "111122223333"
)

// testCreds are static, fake credentials. fakeKMS checks that requests are
// SigV4-signed for KMS in testRegion, not the signature itself.
var testCreds = credentials.NewStaticCredentialsProvider("AKIDLOSTINNLTEST", "lostinnl-test-secret-key", "")

// fakeBlobVersion starts every blob, so a foreign blob is recognised as one.
const fakeBlobVersion = 0x01

type fakeKMSKey struct {
	aead    cipher.AEAD
	enabled bool
}

type fakeKMS struct {
	URL    string
	client *kms.Client // an `aws kms` CLI user's client, for blobs made outside the keeper

	mu        sync.Mutex
	keys      map[string]*fakeKMSKey // by key id (a UUID)
	aliases   map[string]string      // "alias/NAME" -> key id
	calls     map[string]int         // by operation, e.g. "Decrypt"
	accessKey string                 // access key id of the last signed request
	// failOp, when set, makes that operation answer KMSInternalException,
	// to simulate a KMS failure. Real KMS sends it with status 500, which
	// the SDK retries with back-off; 400 gives the same error code (what
	// classifyKMSError reads) without the test waiting on retries.
	failOp string
}

func startFakeKMS(t testing.TB) *fakeKMS {
	t.Helper()
	f := &fakeKMS{keys: map[string]*fakeKMSKey{}, aliases: map[string]string{}, calls: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serveHTTP))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	f.client = kms.NewFromConfig(aws.Config{
		Region:       testRegion,
		Credentials:  testCreds,
		BaseEndpoint: aws.String(srv.URL),
	})
	return f
}

func (f *fakeKMS) setFail(op string) {
	f.mu.Lock()
	f.failOp = op
	f.mu.Unlock()
}

// count returns how many requests of one operation the server has had.
func (f *fakeKMS) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeKMS) lastAccessKey() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.accessKey
}

// keeperURL is the production URL form with the endpoint override.
func (f *fakeKMS) keeperURL(alias string) string {
	return "awskms://" + alias + "?region=" + testRegion + "&endpoint=" + url.QueryEscape(f.URL)
}

// fakeKeyID formats 16 bytes as a KMS key id (a UUID).
func fakeKeyID(raw []byte) string {
	h := hex.EncodeToString(raw)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func fakeKeyARN(id string) string {
	return "arn:aws:kms:" + testRegion + ":" + testAccount + ":key/" + id
}

// createKey makes an enabled symmetric key and returns its ARN.
func (f *fakeKMS) createKey(t testing.TB) string {
	t.Helper()
	raw := make([]byte, 16+32)
	rand.Read(raw)
	block, err := aes.NewCipher(raw[16:])
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	id := fakeKeyID(raw[:16])
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys[id] = &fakeKMSKey{aead: aead, enabled: true}
	return fakeKeyARN(id)
}

// keyIDOf takes a key ARN as createKey returns it.
func (f *fakeKMS) keyIDOf(t testing.TB, keyARN string) string {
	t.Helper()
	id, ok := strings.CutPrefix(keyARN, fakeKeyARN(""))
	f.mu.Lock()
	defer f.mu.Unlock()
	if !ok || f.keys[id] == nil {
		t.Fatalf("fake KMS: no key %q", keyARN)
	}
	return id
}

// createAlias and updateAlias both point alias at the key; KMS's
// distinction (create fails if it exists) does not matter to the tests.
func (f *fakeKMS) createAlias(t testing.TB, alias, keyARN string) {
	t.Helper()
	if !strings.HasPrefix(alias, "alias/") {
		t.Fatalf("fake KMS: alias %q must start with alias/", alias)
	}
	id := f.keyIDOf(t, keyARN)
	f.mu.Lock()
	f.aliases[alias] = id
	f.mu.Unlock()
}

func (f *fakeKMS) updateAlias(t testing.TB, alias, keyARN string) { f.createAlias(t, alias, keyARN) }

func (f *fakeKMS) setEnabled(t testing.TB, keyARN string, on bool) {
	t.Helper()
	id := f.keyIDOf(t, keyARN)
	f.mu.Lock()
	f.keys[id].enabled = on
	f.mu.Unlock()
}

func (f *fakeKMS) disableKey(t testing.TB, keyARN string) { f.setEnabled(t, keyARN, false) }
func (f *fakeKMS) enableKey(t testing.TB, keyARN string)  { f.setEnabled(t, keyARN, true) }

// kmsError is an error answer: KMS's exception name, message and status.
type kmsError struct {
	typ, msg string
	status   int
}

func kmsErr(typ, format string, args ...any) *kmsError {
	return &kmsError{typ: typ, msg: fmt.Sprintf(format, args...), status: http.StatusBadRequest}
}

func (f *fakeKMS) serveHTTP(w http.ResponseWriter, r *http.Request) {
	op, err := f.route(r)
	var out any
	if err == nil {
		out, err = f.operate(op, r)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", "00000000-0000-4000-8000-000000000000")
	if err != nil {
		w.WriteHeader(err.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": err.typ, "message": err.msg})
		return
	}
	_ = json.NewEncoder(w).Encode(out)
}

// route checks what every KMS request must have and returns the operation.
func (f *fakeKMS) route(r *http.Request) (string, *kmsError) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return "", &kmsError{"UnknownOperationException", "", http.StatusNotFound}
	}
	// SigV4: "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/kms/aws4_request, ..."
	cred, ok := strings.CutPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=")
	if !ok {
		return "", kmsErr("MissingAuthenticationTokenException", "Missing Authentication Token")
	}
	cred, _, _ = strings.Cut(cred, ",")
	scope := strings.Split(cred, "/")
	if len(scope) != 5 || scope[2] != testRegion || scope[3] != "kms" || scope[4] != "aws4_request" {
		return "", kmsErr("InvalidSignatureException", "Credential should be scoped to a valid region and service: %s", cred)
	}
	service, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	if service != "TrentService" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-1.1") {
		return "", kmsErr("UnknownOperationException", "")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accessKey = scope[0]
	f.calls[op]++
	if op != "" && op == f.failOp {
		return "", kmsErr("KMSInternalException", "simulated failure")
	}
	return op, nil
}

// kmsRequest is the union of the fields the three operations take.
type kmsRequest struct {
	KeyId             string
	Plaintext         []byte
	CiphertextBlob    []byte
	EncryptionContext map[string]string
	KeySpec           string
	NumberOfBytes     int
}

func (f *fakeKMS) operate(op string, r *http.Request) (any, *kmsError) {
	var in kmsRequest
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 64<<10))
	if err := dec.Decode(&in); err != nil {
		return nil, kmsErr("SerializationException", "could not read the request body: %v", err)
	}
	switch op {
	case "Encrypt":
		if len(in.Plaintext) == 0 || len(in.Plaintext) > 4096 {
			return nil, kmsErr("ValidationException", "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and 4096")
		}
		id, key, err := f.resolve(in.KeyId)
		if err != nil {
			return nil, err
		}
		return map[string]any{
			"CiphertextBlob":      f.seal(id, key, in.Plaintext, in.EncryptionContext),
			"KeyId":               fakeKeyARN(id),
			"EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
		}, nil
	case "GenerateDataKey":
		n := in.NumberOfBytes
		switch {
		case in.KeySpec != "" && n != 0:
			return nil, kmsErr("ValidationException", "Please specify either number of bytes or key spec.")
		case in.KeySpec == "AES_256":
			n = 32
		case in.KeySpec == "AES_128":
			n = 16
		case in.KeySpec != "":
			return nil, kmsErr("ValidationException", "1 validation error detected: Value '%s' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]", in.KeySpec)
		case n < 1 || n > 1024:
			return nil, kmsErr("ValidationException", "1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024")
		}
		id, key, err := f.resolve(in.KeyId)
		if err != nil {
			return nil, err
		}
		pt := make([]byte, n)
		rand.Read(pt)
		return map[string]any{
			"CiphertextBlob": f.seal(id, key, pt, in.EncryptionContext),
			"Plaintext":      pt,
			"KeyId":          fakeKeyARN(id),
		}, nil
	case "Decrypt":
		return f.decrypt(in)
	}
	return nil, kmsErr("UnknownOperationException", "")
}

// resolve finds an enabled key by key id, key ARN, alias name or alias ARN.
func (f *fakeKMS) resolve(ref string) (string, *fakeKMSKey, *kmsError) {
	if ref == "" {
		return "", nil, kmsErr("ValidationException", "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	arnPrefix := "arn:aws:kms:" + testRegion + ":" + testAccount + ":"
	name := ref
	if strings.HasPrefix(ref, "arn:") {
		var ok bool
		if name, ok = strings.CutPrefix(ref, arnPrefix); !ok {
			return "", nil, kmsErr("NotFoundException", "Invalid arn %s", ref)
		}
	}
	id := strings.TrimPrefix(name, "key/")
	if strings.HasPrefix(name, "alias/") {
		var ok bool
		if id, ok = f.aliases[name]; !ok {
			return "", nil, kmsErr("NotFoundException", "Alias %s%s is not found.", arnPrefix, name)
		}
	}
	key := f.keys[id]
	if key == nil {
		return "", nil, kmsErr("NotFoundException", "Key '%s' does not exist", fakeKeyARN(id))
	}
	if !key.enabled {
		return "", nil, kmsErr("DisabledException", "%s is disabled.", fakeKeyARN(id))
	}
	return id, key, nil
}

// fakeAAD binds a blob to its key id and encryption context, as KMS does:
// decrypting with another context or under another key's label fails.
func fakeAAD(id string, encCtx map[string]string) []byte {
	ctxJSON, _ := json.Marshal(encCtx) // map keys are sorted: canonical
	return append([]byte(id+"\x00"), ctxJSON...)
}

// seal makes a blob: version byte, key id (16 bytes), GCM nonce, sealed data.
func (f *fakeKMS) seal(id string, key *fakeKMSKey, pt []byte, encCtx map[string]string) []byte {
	rawID, _ := hex.DecodeString(strings.ReplaceAll(id, "-", ""))
	blob := append([]byte{fakeBlobVersion}, rawID...)
	nonce := make([]byte, key.aead.NonceSize())
	rand.Read(nonce)
	blob = append(blob, nonce...)
	return key.aead.Seal(blob, nonce, pt, fakeAAD(id, encCtx))
}

func (f *fakeKMS) decrypt(in kmsRequest) (any, *kmsError) {
	blob := in.CiphertextBlob
	const head = 1 + 16 + 12
	if len(blob) < head+16 || blob[0] != fakeBlobVersion {
		return nil, kmsErr("InvalidCiphertextException", "")
	}
	id := fakeKeyID(blob[1:17])
	if in.KeyId != "" {
		// KeyId on Decrypt is a check, not a choice: KMS reads the key
		// from the blob and refuses when they differ.
		want, _, err := f.resolve(in.KeyId)
		if err != nil {
			return nil, err
		}
		if want != id {
			return nil, kmsErr("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")
		}
	}
	id, key, err := f.resolve(id)
	if err != nil {
		if err.typ == "NotFoundException" {
			// A blob naming a key this account does not have.
			return nil, kmsErr("InvalidCiphertextException", "")
		}
		return nil, err
	}
	pt, openErr := key.aead.Open(nil, blob[17:head], blob[head:], fakeAAD(id, in.EncryptionContext))
	if openErr != nil {
		return nil, kmsErr("InvalidCiphertextException", "")
	}
	return map[string]any{
		"KeyId":               fakeKeyARN(id),
		"Plaintext":           pt,
		"EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
	}, nil
}

// TestFakeKMSSpeaksKMS pins the behaviour the keeper tests rely on, through
// the SDK client (so the wire format is the SDK's): a fake that accepted
// everything would make those tests pass for nothing.
func TestFakeKMSSpeaksKMS(t *testing.T) {
	ctx := context.Background()
	l := startFakeKMS(t)
	keyA, keyB := l.createKey(t), l.createKey(t)
	l.createAlias(t, "alias/a", keyA)
	code := func(err error) string {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) {
			t.Fatalf("want a KMS error answer, got %v", err)
		}
		return ae.ErrorCode()
	}

	dk, err := l.client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String("alias/a"), KeySpec: types.DataKeySpecAes256})
	if err != nil {
		t.Fatalf("GenerateDataKey: %v", err)
	}
	if len(dk.Plaintext) != 32 || *dk.KeyId != keyA || bytes.Contains(dk.CiphertextBlob, dk.Plaintext) {
		t.Fatalf("GenerateDataKey: %d-byte key under %s", len(dk.Plaintext), *dk.KeyId)
	}
	out, err := l.client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: dk.CiphertextBlob})
	if err != nil || !bytes.Equal(out.Plaintext, dk.Plaintext) || *out.KeyId != keyA {
		t.Fatalf("Decrypt of a data key: %v", err)
	}
	// Every way to name a key finds the same one.
	for _, ref := range []string{keyA, strings.TrimPrefix(keyA, fakeKeyARN("")), "arn:aws:kms:" + testRegion + ":" + testAccount + ":alias/a"} {
		enc, err := l.client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(ref), Plaintext: []byte("x")})
		if err != nil || *enc.KeyId != keyA {
			t.Fatalf("Encrypt under %s: %v", ref, err)
		}
	}

	enc, err := l.client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(keyA), Plaintext: []byte("secret"),
		EncryptionContext: map[string]string{"app": "lostinnl"}})
	if err != nil {
		t.Fatal(err)
	}
	// The blob relabelled to key B: B's key cannot open it.
	relabelled := bytes.Clone(enc.CiphertextBlob)
	rawB, _ := hex.DecodeString(strings.ReplaceAll(strings.TrimPrefix(keyB, fakeKeyARN("")), "-", ""))
	copy(relabelled[1:17], rawB)
	for name, in := range map[string]*kms.DecryptInput{
		"relabelled to another key": {CiphertextBlob: relabelled, EncryptionContext: map[string]string{"app": "lostinnl"}},
		"without its context":       {CiphertextBlob: enc.CiphertextBlob},
		"with another context":      {CiphertextBlob: enc.CiphertextBlob, EncryptionContext: map[string]string{"app": "other"}},
		"truncated":                 {CiphertextBlob: enc.CiphertextBlob[:20]},
	} {
		if _, err := l.client.Decrypt(ctx, in); code(err) != "InvalidCiphertextException" {
			t.Fatalf("Decrypt %s: %v", name, err)
		}
	}
	_, err = l.client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, KeyId: aws.String(keyB),
		EncryptionContext: map[string]string{"app": "lostinnl"}})
	if code(err) != "IncorrectKeyException" {
		t.Fatalf("Decrypt naming the wrong key: %v", err)
	}

	if _, err := l.client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/nope"), Plaintext: []byte("x")}); code(err) != "NotFoundException" {
		t.Fatalf("unknown alias: %v", err)
	}
	if _, err := l.client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(keyA), Plaintext: make([]byte, 4097)}); code(err) != "ValidationException" {
		t.Fatalf("4097-byte plaintext: %v", err)
	}
	l.disableKey(t, keyA)
	if _, err := l.client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: dk.CiphertextBlob}); code(err) != "DisabledException" {
		t.Fatalf("Decrypt under a disabled key: %v", err)
	}
	l.enableKey(t, keyA)

	// Unsigned requests and unknown operations are refused with KMS's
	// JSON error shape and a 4xx status.
	for name, target := range map[string]string{"unsigned": "TrentService.Encrypt", "unknown operation": "TrentService.ScheduleKeyDeletion"} {
		req, _ := http.NewRequest(http.MethodPost, l.URL+"/", strings.NewReader(`{"KeyId":"alias/a","Plaintext":"eA=="}`))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		if name != "unsigned" {
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261204/"+testRegion+"/kms/aws4_request, SignedHeaders=host, Signature=00")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Type string `json:"__type"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || body.Type == "" {
			t.Fatalf("%s: status %d, __type %q", name, resp.StatusCode, body.Type)
		}
	}
}
