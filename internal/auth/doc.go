// Package auth holds the identity primitives of the admin area: password
// hashing and policy (argon2id), TOTP second factor and recovery codes,
// database-backed sessions, login throttling and role checks.
//
// The package knows nothing about HTTP routes or templates: internal/web wires
// these pieces into the login flow and the authorization middleware. Every
// piece that touches storage does so through a small interface listing the
// store methods it uses, satisfied by *store.Store.
package auth
