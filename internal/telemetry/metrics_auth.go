package telemetry

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// RegisterPasswordChecks exposes password_checks_total: how many passwords
// the server ran argon2id on (auth.Hasher.Checks). A jump without matching
// sign-ins is guessing; the login throttle bounds how fast it can grow.
func (m *Metrics) RegisterPasswordChecks(count func() float64) error {
	if m == nil {
		return nil
	}
	if count == nil {
		return errors.New("register password checks: nil count function")
	}
	c := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "password_checks_total",
		Help: "Passwords checked with argon2id (sign-in attempts that got past the throttle, unknown emails included).",
	}, count)
	if err := m.reg.Register(c); err != nil {
		return fmt.Errorf("register password checks: %w", err)
	}
	return nil
}
