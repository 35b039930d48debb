package cli

import (
	"bytes"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

// TestLoginKey: made once and sealed (the stored value is not the key),
// the same on every later start, and replaced (not fatal) when the keeper
// that sealed it is gone.
func TestLoginKey(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "lostinnl.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	keeper, err := secrets.OpenKeeper(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer keeper.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))

	first, err := loadLoginKey(ctx, st, keeper, logger)
	if err != nil || len(first) != 32 {
		t.Fatalf("first start: %d bytes, %v", len(first), err)
	}
	again, err := loadLoginKey(ctx, st, keeper, logger)
	if err != nil || !bytes.Equal(first, again) {
		t.Fatalf("second start: a different key (%v)", err)
	}
	stored, err := st.GetSetting(ctx, settingLoginKey)
	if err != nil || strings.Contains(stored, string(first)) || len(stored) < 44 {
		t.Fatalf("stored value %q, %v: want the sealed key", stored, err)
	}

	other, err := secrets.OpenKeeper(ctx, "", t.TempDir()) // a new local key file
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var logs bytes.Buffer
	replaced, err := loadLoginKey(ctx, st, other, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil || len(replaced) != 32 || bytes.Equal(replaced, first) {
		t.Fatalf("with another keeper: %v; want a new key", err)
	}
	if !strings.Contains(logs.String(), "login key unreadable") {
		t.Errorf("replacement not logged: %s", logs.String())
	}
	if back, err := loadLoginKey(ctx, st, other, logger); err != nil || !bytes.Equal(back, replaced) {
		t.Fatalf("after replacement: %v", err)
	}
}
