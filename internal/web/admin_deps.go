package web

import (
	"fmt"
	"strings"

	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/staff"
)

// initAdmin builds the staff area (sign-in, sessions, accounts) from
// Deps.Admin and checks the route table (default deny, see
// checkAdminRoutes).
func (h *handler) initAdmin() error {
	s, err := staff.New(h.Env, h.deps.Admin)
	if err != nil {
		return err
	}
	h.staff = s
	return checkAdminRoutes(h.routes())
}

// checkAdminRoutes enforces default deny on the route table: a route under
// /admin marked public (for example a new line whose access was left at its
// zero value, which is public) stops start-up, unless it is one of the
// sign-in routes above.
func checkAdminRoutes(rts []kit.Route) error {
	seen := map[string]bool{}
	for _, rt := range rts {
		if seen[rt.Pattern] {
			return fmt.Errorf("web: route %q is listed twice", rt.Pattern)
		}
		seen[rt.Pattern] = true
		if !isAdminPattern(rt.Pattern) {
			continue
		}
		if rt.Access == kit.Public && !staff.PublicAdminRoutes[rt.Pattern] {
			return fmt.Errorf("web: admin route %q has no access rule (public is not allowed under /admin)", rt.Pattern)
		}
		if rt.Access != kit.Public && rt.Access != kit.Staff && rt.Access != kit.AdminOnly {
			return fmt.Errorf("web: admin route %q has an unknown access rule %d", rt.Pattern, rt.Access)
		}
		if rt.Handler == nil {
			return fmt.Errorf("web: admin route %q has no handler", rt.Pattern)
		}
	}
	return nil
}

// isAdminPattern reports whether a ServeMux pattern ("METHOD /path") lies
// under /admin.
func isAdminPattern(pattern string) bool {
	_, p, ok := strings.Cut(pattern, " ")
	if !ok {
		p = pattern
	}
	return staff.IsAdminPath(p)
}
