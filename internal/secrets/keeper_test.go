package secrets

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

func TestLocalKeeperCreatesKeyFile0600AndReusesIt(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data") // does not exist yet
	k1, err := OpenKeeper(ctx, "", dir)
	if err != nil {
		t.Fatalf("first open: %v", err)
	}
	defer k1.Close()
	path := filepath.Join(dir, KeyFileName)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("key file not created: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %04o, want 0600", info.Mode().Perm())
	}
	if info.Size() != 32 {
		t.Fatalf("key file size = %d, want 32", info.Size())
	}
	key1, _ := os.ReadFile(path)

	secret := []byte("mysql://app:hunter2@tcp(db:3306)/lostinnl")
	ct, err := k1.Encrypt(ctx, secret)
	if err != nil {
		t.Fatalf("encrypt: %v", err)
	}
	if bytes.Contains(ct, secret) {
		t.Fatal("ciphertext contains the plaintext")
	}

	k2, err := OpenKeeper(ctx, "", dir)
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	defer k2.Close()
	key2, _ := os.ReadFile(path)
	if !bytes.Equal(key1, key2) {
		t.Fatal("second open replaced the key file")
	}
	if k1.KeyID() != k2.KeyID() {
		t.Fatalf("key ids differ across opens: %s vs %s", k1.KeyID(), k2.KeyID())
	}
	pt, err := k2.Decrypt(ctx, ct)
	if err != nil {
		t.Fatalf("decrypt with reopened keeper: %v", err)
	}
	if !bytes.Equal(pt, secret) {
		t.Fatalf("round trip gave %q", pt)
	}
	if strings.Contains(k1.Describe(), string(key1)) || !strings.Contains(k1.Describe(), path) {
		t.Fatalf("Describe() = %q: should name the file and not the key", k1.Describe())
	}
}

func TestLocalKeeperRefusesKeyFileReadableByOthers(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602} {
		_, dir := openLocalKeeper(t)
		path := filepath.Join(dir, KeyFileName)
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		key, _ := os.ReadFile(path)
		_, err := OpenKeeper(ctx, "", dir)
		if !errors.Is(err, ErrInsecureKeyFile) {
			t.Fatalf("mode %04o: err = %v, want ErrInsecureKeyFile", mode, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, path) || !strings.Contains(msg, "chmod 600 "+path) {
			t.Fatalf("mode %04o: message should name the file and the fix: %q", mode, msg)
		}
		assertNoSecret(t, err, key)
		// The fix in the message works.
		if err := os.Chmod(path, 0o600); err != nil {
			t.Fatal(err)
		}
		k, err := OpenKeeper(ctx, "", dir)
		if err != nil {
			t.Fatalf("after chmod 600: %v", err)
		}
		k.Close()
	}
}

func TestLocalKeeperWrongKeyFailsToDecrypt(t *testing.T) {
	ctx := context.Background()
	a, _ := openLocalKeeper(t)
	b, _ := openLocalKeeper(t)
	if a.KeyID() == b.KeyID() {
		t.Fatal("two fresh key files have the same key id")
	}
	secret := []byte("session-key-0123456789")
	ct, err := a.Encrypt(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Decrypt(ctx, ct)
	if !errors.Is(err, ErrDecrypt) {
		t.Fatalf("decrypt with the wrong key: err = %v, want ErrDecrypt", err)
	}
	assertNoSecret(t, err, secret)
	assertNoCiphertext(t, err, ct)

	// A sealed field names its key; the other keeper does not have it.
	fa, fb := NewFieldCipher(a, nil), NewFieldCipher(b, nil)
	sealed, err := fa.Seal(ctx, []byte("Jane Q. Example"), "cases", "reporter_name", 7)
	if err != nil {
		t.Fatal(err)
	}
	_, err = fb.Open(ctx, sealed, "cases", "reporter_name", 7)
	if !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("open with the wrong keeper: err = %v, want ErrUnknownKey", err)
	}
}

func TestKeyFileVariants(t *testing.T) {
	ctx := context.Background()
	write := func(t *testing.T, content []byte) string {
		p := filepath.Join(t.TempDir(), "k")
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	raw := bytes.Repeat([]byte{7}, 32)
	t.Run("base64 text is accepted and equals the raw key", func(t *testing.T) {
		kr := openTestKMSKeeper(t, "keyfile://"+write(t, raw))
		kb := openTestKMSKeeper(t, "keyfile://"+write(t, []byte(base64.StdEncoding.EncodeToString(raw)+"\n")))
		if kr.KeyID() != kb.KeyID() {
			t.Fatal("raw and base64 forms of one key give different key ids")
		}
		k64 := openTestKMSKeeper(t, base64KeySpec(7))
		if k64.KeyID() != kr.KeyID() {
			t.Fatal("base64key and key file with the same key give different key ids")
		}
	})
	for name, content := range map[string][]byte{
		"empty":        {},
		"31 bytes":     bytes.Repeat([]byte{1}, 31),
		"33 bytes":     bytes.Repeat([]byte{1}, 33),
		"big":          bytes.Repeat([]byte{1}, 4096),
		"bad base64":   []byte("not base64 at all!!\n"),
		"short base64": []byte(base64.StdEncoding.EncodeToString([]byte("short")) + "\n"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := OpenKeeper(ctx, "keyfile://"+write(t, content), "")
			if err == nil {
				t.Fatal("a file that is not a key was accepted")
			}
			assertNoSecret(t, err, content)
		})
	}
	t.Run("explicit keyfile is never created", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "missing.key")
		if _, err := OpenKeeper(ctx, "keyfile://"+p, ""); err == nil {
			t.Fatal("missing explicit key file accepted")
		}
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Fatal("explicit key file was created")
		}
	})
	t.Run("directory", func(t *testing.T) {
		if _, err := OpenKeeper(ctx, "keyfile://"+t.TempDir(), ""); err == nil {
			t.Fatal("a directory was accepted as key file")
		}
	})
}

func TestLocalKeeperConcurrentFirstRunAgreesOnOneKey(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := OpenKeeper(context.Background(), "", dir)
			if err != nil {
				errs[i] = err
				return
			}
			ids[i] = k.KeyID()
			k.Close()
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("open %d: %v", i, errs[i])
		}
		if ids[i] != ids[0] {
			t.Fatalf("concurrent first runs made different keys: %s vs %s", ids[i], ids[0])
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("data dir holds %d entries after first run, want only the key file", len(entries))
	}
}

func TestOpenKeeperRejectsBadSpecsWithoutEchoingThem(t *testing.T) {
	key := base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))
	for _, spec := range []string{
		"base64key://",
		"base64key://" + key + "%zz",
		"base64key://" + key + "?x=1",
		"base64key://" + key[:20],
		"ftp://" + key,
		key,
		"hashivault://" + key,
		"awskms://",
		"keyfile://relative/path",
		"awskms://alias/x?region=" + testRegion + "&bogus=" + key,
	} {
		_, err := openKeeper(context.Background(), spec, "", openOptions{awsCredentials: testCreds})
		if err == nil {
			t.Fatalf("spec accepted: %.20s…", spec)
		}
		assertNoSecret(t, err, []byte(key))
	}
	if _, err := OpenKeeper(context.Background(), "", ""); err == nil {
		t.Fatal("empty spec without data dir accepted")
	}
}

func TestBase64KeeperRoundTrip(t *testing.T) {
	ctx := context.Background()
	k := openTestKMSKeeper(t, base64KeySpec(1))
	ct, err := k.Encrypt(ctx, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := k.Decrypt(ctx, ct); err != nil || string(pt) != "x" {
		t.Fatalf("round trip: %q, %v", pt, err)
	}
	if _, err := k.Encrypt(ctx, nil); err == nil {
		t.Fatal("empty plaintext accepted")
	}
	if _, err := k.Encrypt(ctx, make([]byte, maxKeeperPlaintext+1)); err == nil {
		t.Fatal("oversize plaintext accepted")
	}
	for _, bad := range [][]byte{nil, {}, {1}, bytes.Repeat([]byte{0}, 100)} {
		if _, err := k.Decrypt(ctx, bad); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("decrypt of %d garbage bytes: err = %v, want ErrDecrypt", len(bad), err)
		}
	}
}

// TestKMSKeeper goes through the production awskms:// URL path against a
// KMS API on loopback (fakeKMS, through the real AWS SDK client).
func TestKMSKeeper(t *testing.T) {
	ctx := context.Background()
	l := startFakeKMS(t)
	arn := l.createKey(t)
	l.createAlias(t, "alias/lostinnl", arn)
	k := openTestKMSKeeper(t, l.keeperURL("alias/lostinnl"))

	if k.KeyID() != kmsKeyID(arn).String() {
		t.Fatalf("key id %s is not that of the aliased key", k.KeyID())
	}
	if d := k.Describe(); !strings.Contains(d, "alias/lostinnl") || !strings.Contains(d, testRegion) {
		t.Fatalf("Describe() = %q", d)
	}

	secret := []byte("mysql://lostinnl:s3cr3t-pa55@tcp(rds.example:3306)/lostinnl")
	ct, err := k.Encrypt(ctx, secret)
	if err != nil {
		t.Fatalf("encrypt: %v", err)
	}
	// Keeper ciphertext is a plain KMS blob: `aws kms decrypt` reads it too.
	out, err := l.client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: ct})
	if err != nil || !bytes.Equal(out.Plaintext, secret) {
		t.Fatalf("KMS Decrypt of keeper output: %v", err)
	}
	// And a blob from `aws kms encrypt` decrypts through the keeper.
	enc, err := l.client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/lostinnl"), Plaintext: []byte("from-the-cli")})
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := k.Decrypt(ctx, enc.CiphertextBlob); err != nil || string(pt) != "from-the-cli" {
		t.Fatalf("keeper decrypt of a KMS CLI blob: %q, %v", pt, err)
	}

	// Tampered blob: clean error, no secret.
	bad := bytes.Clone(ct)
	bad[len(bad)/2] ^= 0x01
	_, err = k.Decrypt(ctx, bad)
	if !errors.Is(err, ErrDecrypt) {
		t.Fatalf("tampered KMS blob: err = %v, want ErrDecrypt", err)
	}
	assertNoSecret(t, err, secret)
	assertNoCiphertext(t, err, ct)

	// Field round trip through KMS.
	f := NewFieldCipher(k, nil)
	sealed, err := f.Seal(ctx, []byte("709-555-0100"), "tips", "phone", 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.Open(ctx, sealed, "tips", "phone", 3); err != nil || string(got) != "709-555-0100" {
		t.Fatalf("open: %q, %v", got, err)
	}
	// A relabelled key id is detected even though KMS could decrypt the blob.
	e, _ := parseEnvelope(sealed)
	e.keyID = kmsKeyID("arn:aws:kms:" + testRegion + ":" + testAccount + ":key/other")
	if _, err := f.Open(ctx, e.marshal(), "tips", "phone", 3); !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("relabelled key id: err = %v, want ErrAuthFailed", err)
	}

	// An unknown alias fails at open, with a message naming it.
	_, err = openKeeper(ctx, l.keeperURL("alias/nope"), "", openOptions{awsCredentials: testCreds})
	if err == nil || !strings.Contains(err.Error(), "alias/nope") {
		t.Fatalf("unknown alias: err = %v", err)
	}
}

// TestKMSKeeperFromEnvironment uses the SDK's default credential chain, as
// production does on EC2, with static test credentials in the environment.
func TestKMSKeeperFromEnvironment(t *testing.T) {
	l := startFakeKMS(t)
	l.createAlias(t, "alias/env", l.createKey(t))
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOSTINNLENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "lostinnl-env-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	k, err := OpenKeeper(context.Background(), l.keeperURL("alias/env"), "")
	if err != nil {
		t.Fatalf("open via environment credentials: %v", err)
	}
	defer k.Close()
	ct, err := k.Encrypt(context.Background(), []byte("v"))
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := k.Decrypt(context.Background(), ct); err != nil || string(pt) != "v" {
		t.Fatalf("round trip: %q %v", pt, err)
	}
	if got := l.lastAccessKey(); got != "AKIDLOSTINNLENV" {
		t.Fatalf("requests signed with access key %q, not the environment's", got)
	}
}

func TestKMSEncryptionContextMustMatch(t *testing.T) {
	ctx := context.Background()
	l := startFakeKMS(t)
	l.createAlias(t, "alias/ctx", l.createKey(t))
	withCtx := openTestKMSKeeper(t, l.keeperURL("alias/ctx")+"&context_app=lostinnl")
	plain := openTestKMSKeeper(t, l.keeperURL("alias/ctx"))
	ct, err := withCtx.Encrypt(ctx, []byte("bound"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Decrypt(ctx, ct); err == nil {
		t.Fatal("ciphertext with an encryption context decrypted without it")
	}
	if pt, err := withCtx.Decrypt(ctx, ct); err != nil || string(pt) != "bound" {
		t.Fatalf("round trip with context: %q %v", pt, err)
	}
}

// TestKMSKeeperUnreachableFailsOpen: a KMS that never answers fails start-up
// with an error naming the keeper once the context ends.
func TestKMSKeeperUnreachableFailsOpen(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	spec := "awskms://alias/lostinnl?region=" + testRegion + "&endpoint=" + url.QueryEscape(srv.URL)
	_, err := openKeeper(ctx, spec, "", openOptions{awsCredentials: testCreds})
	if err == nil || !strings.Contains(err.Error(), "awskms alias/lostinnl") {
		t.Fatalf("err = %v", err)
	}
}
