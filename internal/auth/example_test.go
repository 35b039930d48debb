package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
)

// opener stands for internal/secrets' FieldCipher, which opens the sealed
// users.totp_secret column.
type opener interface {
	Open(ctx context.Context, sealed []byte, table, column string, rowID int64) ([]byte, error)
}

// Example_loginFlow shows how the admin login handlers put the pieces
// together (compiled, not run). Audit entries and rendering are left out.
func Example_loginFlow() {
	var (
		st       *store.Store
		secrets  opener
		sessions = auth.NewManager(st, auth.SessionConfig{})
		throttle = auth.NewThrottle(st, auth.ThrottleConfig{})
		authn    = &auth.Authenticator{Users: st, Hasher: auth.NewHasher(auth.DefaultParams(), 2), Throttle: throttle}
		guard    = auth.NewTOTPReplayGuard(st, nil)
	)

	// POST /admin/login with email + password.
	passwordStep := func(w http.ResponseWriter, r *http.Request, ip string) error {
		ctx := r.Context()
		email, password := r.PostFormValue("email"), r.PostFormValue("password")
		user, wait, err := authn.PasswordStep(ctx, email, password, ip)
		switch {
		case errors.Is(err, auth.ErrThrottled):
			w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
			w.WriteHeader(http.StatusTooManyRequests)
			return nil
		case errors.Is(err, auth.ErrInvalidCredentials):
			// Same message for unknown email, wrong password, disabled user.
			w.WriteHeader(http.StatusUnprocessableEntity)
			return nil
		case err != nil:
			return err // 500
		}
		if user.TOTPSecret != nil {
			_, err := sessions.StartPending(ctx, w, r, user) // rotates the id
			return err                                       // then show the code form
		}
		if _, err := sessions.Start(ctx, w, r, user); err != nil {
			return err
		}
		return throttle.Succeed(ctx, email, ip)
	}

	// POST /admin/login with code (TOTP or a recovery code).
	codeStep := func(w http.ResponseWriter, r *http.Request, ip string) error {
		ctx := r.Context()
		pending, user, err := sessions.LoadPending(r)
		if errors.Is(err, auth.ErrNoSession) {
			return nil // back to the password form
		} else if err != nil {
			return err
		}
		// One of the pending sign-in's 5 code checks, taken atomically
		// before the code is looked at.
		if err := sessions.TakeSecondFactorTry(ctx, w, r, pending); errors.Is(err, auth.ErrNoSession) {
			return nil // too many wrong codes (or gone): back to the password form
		} else if err != nil {
			return err
		}
		// Counted on the account before the check (not held by the address
		// budget: the pending sign-in proves the password).
		rsv, wait, err := throttle.Reserve(ctx, user.Email, ip, false)
		if errors.Is(err, auth.ErrThrottled) {
			_ = wait // 429 as above
			return nil
		} else if err != nil {
			return err
		}
		code := r.PostFormValue("code")
		secret, err := secrets.Open(ctx, user.TOTPSecret, "users", "totp_secret", user.ID)
		if err != nil {
			return err
		}
		err = guard.Verify(ctx, user.ID, string(secret), code) // compare-and-set of the step
		if errors.Is(err, auth.ErrInvalidCode) {
			// Perhaps a recovery code (removed by compare-and-set).
			_, ok, rerr := auth.RedeemRecoveryCode(ctx, st, user.ID, user.RecoveryCodes, code)
			if rerr != nil {
				return rerr
			}
			if ok {
				err = nil
			}
		}
		if err != nil {
			if !errors.Is(err, auth.ErrInvalidCode) && !errors.Is(err, auth.ErrCodeReused) {
				return err
			}
			// The reservation stays: it is this failure.
			_, ferr := sessions.FailSecondFactor(ctx, w, r, pending)
			return ferr // show the code form again, or the password form if ended
		}
		if err := throttle.Release(ctx, rsv); err != nil {
			return err
		}
		if _, err := sessions.Start(ctx, w, r, user); err != nil { // rotates again
			return err
		}
		return throttle.Succeed(ctx, user.Email, ip)
	}

	// Every admin request: the session middleware.
	middleware := func(w http.ResponseWriter, r *http.Request, required store.Role) (int, error) {
		_, user, err := sessions.Load(r)
		if errors.Is(err, auth.ErrNoSession) {
			if sessions.HasCookie(r) {
				sessions.ClearCookie(w, r)
			}
			return http.StatusSeeOther, nil // to /admin/login
		} else if err != nil {
			return 0, err
		}
		if !auth.Allows(user.Role, required) {
			return http.StatusForbidden, nil
		}
		return 0, nil
	}

	fmt.Println(passwordStep != nil, codeStep != nil, middleware != nil)
}
