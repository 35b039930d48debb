package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"

	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

// settingLoginKey holds the installation's login key (staff.Admin.LoginKey),
// sealed by the secrets keeper: a database dump alone does not give it, so
// the keyed hashes of typed emails in the log and audit cannot be tested
// against guesses, nor known-browser cookies forged.
const settingLoginKey = "login_key"

// loadLoginKey returns the installation's login key, making it on first
// start. Instances sharing the database agree on one key: whoever adds the
// setting first wins and everyone uses the stored value.
func loadLoginKey(ctx context.Context, st *store.Store, keeper *secrets.Keeper, logger *slog.Logger) ([]byte, error) {
	for range 2 {
		stored, err := st.GetSetting(ctx, settingLoginKey)
		if errors.Is(err, store.ErrNotFound) {
			sealed, err := newSealedLoginKey(ctx, keeper)
			if err != nil {
				return nil, err
			}
			if _, err := st.AddSetting(ctx, settingLoginKey, sealed); err != nil {
				return nil, fmt.Errorf("login key: %w", err)
			}
			continue // read back what won
		}
		if err != nil {
			return nil, fmt.Errorf("login key: %w", err)
		}
		key, err := openLoginKey(ctx, keeper, stored)
		if err == nil {
			return key, nil
		}
		// The keeper that sealed it is gone (a replaced key file, a KMS
		// key no longer configured). The key only links log entries and
		// known browsers, so a new one costs little: earlier hashes stop
		// matching new ones and browsers are strangers once.
		logger.Warn("login key unreadable with the configured keeper; making a new one", slog.String("error", err.Error()))
		sealed, err := newSealedLoginKey(ctx, keeper)
		if err != nil {
			return nil, err
		}
		if err := st.SetSetting(ctx, settingLoginKey, sealed, nil); err != nil {
			return nil, fmt.Errorf("login key: %w", err)
		}
	}
	stored, err := st.GetSetting(ctx, settingLoginKey)
	if err != nil {
		return nil, fmt.Errorf("login key: %w", err)
	}
	return openLoginKey(ctx, keeper, stored)
}

func newSealedLoginKey(ctx context.Context, keeper *secrets.Keeper) (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("login key: %w", err)
	}
	ct, err := keeper.Encrypt(ctx, key)
	if err != nil {
		return "", fmt.Errorf("login key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

func openLoginKey(ctx context.Context, keeper *secrets.Keeper, stored string) ([]byte, error) {
	ct, err := base64.StdEncoding.DecodeString(stored)
	if err != nil {
		return nil, fmt.Errorf("login key: stored value is not base64")
	}
	key, err := keeper.Decrypt(ctx, ct)
	if err != nil {
		return nil, fmt.Errorf("login key: %w", err)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("login key: stored key has %d bytes, want 32", len(key))
	}
	return key, nil
}
