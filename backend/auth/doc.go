// Package auth decides who is calling gridcc and what it may do: roles and
// the permission table, the auth file of tokens and users, the in-memory
// Store a replica authenticates against, password logins, browser sessions,
// login lockout and per-principal rate limits. It imports no web framework;
// httpapi turns its answers into statuses.
//
// Layout: role.go (roles and scopes), perm.go (the roles × permissions
// table, Scope, InScope), token.go (token format and hashing), password.go
// (argon2id and the password rules), file.go + file_tokens.go +
// file_users.go (the auth file and its writers), file_unix.go (flock and
// file identity), store.go (the read side every replica polls, Login,
// OnRevoke), sessions.go + sessions_redis.go (browser sessions), revoke.go
// (ending a revoked principal's sessions and sockets), lockout.go (failed
// login counting), limit.go (token buckets).
//
// The package needs flock(2), so it builds on Unix only.
package auth
