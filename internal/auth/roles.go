package auth

import (
	"fmt"
	"strings"

	"lostinnl/internal/store"
)

// roleRank orders roles by privilege: a role allows everything a lower-ranked
// role may do (admin ⊇ moderator). Roles not listed rank nowhere.
var roleRank = map[store.Role]int{
	store.RoleModerator: 1,
	store.RoleAdmin:     2,
}

// Allows reports whether a user with role may do what required demands.
// Default deny: an unknown, empty or misspelt role on either side is refused,
// so a route whose rule names a role that does not exist is closed, not open.
func Allows(role, required store.Role) bool {
	have, ok1 := roleRank[role]
	need, ok2 := roleRank[required]
	return ok1 && ok2 && have >= need
}

// ValidRole reports whether r is a known role.
func ValidRole(r store.Role) bool {
	_, ok := roleRank[r]
	return ok
}

// ParseRole parses a role name as typed on the command line or in a form
// (case and surrounding spaces ignored).
func ParseRole(s string) (store.Role, error) {
	r := store.Role(strings.ToLower(strings.TrimSpace(s)))
	if !ValidRole(r) {
		return "", fmt.Errorf("auth: unknown role %q (want admin or moderator)", s)
	}
	return r, nil
}
