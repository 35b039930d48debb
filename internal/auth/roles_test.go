package auth

import (
	"testing"

	"lostinnl/internal/store"
)

func TestAllows(t *testing.T) {
	const (
		admin = store.RoleAdmin
		mod   = store.RoleModerator
	)
	tests := []struct {
		role, required store.Role
		want           bool
	}{
		{admin, admin, true},
		{admin, mod, true},
		{mod, mod, true},
		{mod, admin, false},
		{"", mod, false},
		{"", "", false},
		{"Admin", mod, false}, // roles are exact; ParseRole folds case at the edge
		{"superuser", mod, false},
		{admin, "", false}, // a rule naming no role is closed
		{admin, "editor", false},
	}
	for _, tt := range tests {
		if got := Allows(tt.role, tt.required); got != tt.want {
			t.Errorf("Allows(%q, %q) = %v; want %v", tt.role, tt.required, got, tt.want)
		}
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]store.Role{"admin": store.RoleAdmin, " Moderator ": store.RoleModerator, "ADMIN": store.RoleAdmin} {
		got, err := ParseRole(in)
		if err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "root", "admin\x00", "moderators"} {
		if _, err := ParseRole(in); err == nil {
			t.Errorf("ParseRole(%q) accepted", in)
		}
	}
}
