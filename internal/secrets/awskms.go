package secrets

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"
	gcaws "gocloud.dev/aws"
)

// errKMSUnavailable marks failures that say nothing about the value being
// decrypted — KMS could not be reached, throttled us, or failed inside — so
// rotation stops and can be re-run instead of calling every row unreadable.
var errKMSUnavailable = errors.New("KMS unavailable")

// classifyKMSError marks service-wide failures with errKMSUnavailable.
// Answers about the request itself (invalid ciphertext, disabled or deleted
// key, access denied for that key) are left as they are: they are about the
// value's key, not about KMS.
func classifyKMSError(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ThrottlingException", "LimitExceededException", "KMSInternalException",
			"DependencyTimeoutException", "KeyUnavailableException":
			return fmt.Errorf("%w: %w", errKMSUnavailable, err)
		}
		return err
	}
	// No answer from KMS at all: network, timeout, or no credentials.
	return fmt.Errorf("%w: %w", errKMSUnavailable, err)
}

// kmsWrapper talks to AWS KMS directly with the SDK client that gocloud's
// awskms keeper would build from the same URL. We call the client ourselves
// rather than through gocloud's secrets.Keeper because the keeper discards
// the KeyId that KMS returns from Encrypt, and that ARN is what tells
// rotation which records are still wrapped under a retired key.
type kmsWrapper struct {
	keyRef string // alias name, key id or ARN, as configured
	region string
	client *kms.Client
	encCtx map[string]string // KMS encryption context, from context_ URL parameters
}

// openKMS accepts the gocloud awskms URL format:
// awskms://alias/NAME?region=R&endpoint=URL&profile=P&context_K=V...
func openKMS(ctx context.Context, u *url.URL, opts openOptions) (wrapper, error) {
	keyRef := strings.TrimPrefix(path.Join(u.Host, u.Path), "/")
	if keyRef == "" {
		return nil, errors.New("awskms keeper needs a key: awskms://alias/NAME?region=R")
	}
	q := u.Query()
	var encCtx map[string]string
	for name, vals := range q {
		if k, ok := strings.CutPrefix(name, "context_"); ok {
			if len(vals) != 1 || k == "" {
				return nil, fmt.Errorf("awskms keeper %s: URL parameter %q must appear once with a name", keyRef, name)
			}
			if encCtx == nil {
				encCtx = map[string]string{}
			}
			encCtx[k] = vals[0]
			q.Del(name)
		}
	}
	cfg, err := gcaws.V2ConfigFromURLParams(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("awskms keeper %s: %w", keyRef, err)
	}
	if opts.awsCredentials != nil {
		cfg.Credentials = aws.NewCredentialsCache(opts.awsCredentials)
	}
	return &kmsWrapper{
		keyRef: keyRef,
		region: cfg.Region,
		client: kms.NewFromConfig(cfg),
		encCtx: encCtx,
	}, nil
}

func (w *kmsWrapper) describe() string {
	if w.region == "" {
		return "awskms " + w.keyRef
	}
	return "awskms " + w.keyRef + " in " + w.region
}

func kmsKeyID(arn string) keyID {
	sum := sha256.Sum256([]byte("lostinnl awskms v1\x00" + arn))
	var id keyID
	copy(id[:], sum[:])
	return id
}

func (w *kmsWrapper) wrap(ctx context.Context, pt []byte) ([]byte, keyID, error) {
	out, err := w.client.Encrypt(ctx, &kms.EncryptInput{
		KeyId:             aws.String(w.keyRef),
		Plaintext:         pt,
		EncryptionContext: w.encCtx,
	})
	if err != nil {
		return nil, keyID{}, classifyKMSError(err)
	}
	if out.KeyId == nil || *out.KeyId == "" || len(out.CiphertextBlob) == 0 {
		return nil, keyID{}, errors.New("KMS Encrypt returned no key id or no ciphertext")
	}
	return out.CiphertextBlob, kmsKeyID(*out.KeyId), nil
}

func (w *kmsWrapper) unwrap(ctx context.Context, ct []byte) ([]byte, keyID, error) {
	// No KeyId on purpose: a symmetric KMS blob names its key, and after the
	// alias moves the old blobs must still decrypt (IAM decides which keys
	// this role may use).
	out, err := w.client.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob:    ct,
		EncryptionContext: w.encCtx,
	})
	if err != nil {
		return nil, keyID{}, classifyKMSError(err)
	}
	if out.KeyId == nil || *out.KeyId == "" {
		return nil, keyID{}, errors.New("KMS Decrypt returned no key id")
	}
	return out.Plaintext, kmsKeyID(*out.KeyId), nil
}

// current learns which key the alias points at by encrypting one byte:
// Encrypt is a permission the application needs anyway, where DescribeKey
// would be one more grant to give.
func (w *kmsWrapper) current(ctx context.Context) (keyID, error) {
	_, id, err := w.wrap(ctx, []byte{0})
	return id, err
}

func (w *kmsWrapper) owns(keyID) bool { return true }
func (w *kmsWrapper) isKMS() bool     { return true }
func (w *kmsWrapper) close() error    { return nil }
