package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"gocloud.dev/blob"
)

// noteWrite records the outcome of one Put for FailedWrites. A write the
// client abandoned (its context cancelled) says nothing about the store.
func (b *Bucket) noteWrite(err error) {
	switch {
	case err == nil:
		b.failedWrites.Store(0)
	case errors.Is(err, context.Canceled):
	default:
		b.failedWrites.Add(1)
	}
}

// FailedWrites is the number of photo writes (Put) that have failed in a
// row; 0 after any success. /readyz fails when it reaches its limit.
func (b *Bucket) FailedWrites() int64 { return b.failedWrites.Load() }

// probePrefix names the probe blobs: never a valid variant name (ParseName
// refuses it), so /media/ cannot serve one and a sweeper of unreferenced
// blobs may delete any it finds.
const probePrefix = "readyz-probe-"

// ProbeWrite writes a small blob under a random name and deletes it again,
// recording the outcome like a Put. /readyz uses it once photo writes have
// been failing, to find out when they work again even though the load
// balancer has stopped sending uploads.
func (b *Bucket) ProbeWrite(ctx context.Context) error {
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		return fmt.Errorf("media: probe write: %w", err)
	}
	name := probePrefix + hex.EncodeToString(r[:])
	err := b.b.WriteAll(ctx, name, []byte("ok"), &blob.WriterOptions{ContentType: "text/plain"})
	if err == nil {
		// Best effort: the write itself is what the probe measures. Not
		// cut short by /readyz's deadline, which the write may have used
		// up, but bounded like any clean-up.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		_ = b.b.Delete(dctx, name)
		cancel()
	}
	b.noteWrite(err)
	if err != nil {
		return fmt.Errorf("media: probe write: %w", err)
	}
	return nil
}
