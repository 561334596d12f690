// Package auth decides who is calling gridcc: roles, the auth file of tokens
// (users join it in the case-workflow issue), the in-memory Store a replica
// authenticates against, browser sessions for screens, and per-principal
// rate limits. It imports no web framework; httpapi turns its answers into
// statuses.
//
// Layout: role.go (roles and what they may see), token.go (token format and
// hashing), file.go + file_tokens.go (the auth file and its writers),
// file_unix.go (flock and file identity), store.go (the read side every
// replica polls), sessions.go + sessions_redis.go (screen sessions),
// limit.go (token buckets).
//
// The package needs flock(2), so it builds on Unix only.
package auth
