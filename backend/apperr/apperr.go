// Package apperr is gridcc's one error type. Domain and adapter code return
// *Error with a Code; the HTTP layer maps each Code to a status in one place
// and writes {"error":{"code","message","field"}}.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers that branch on it (and for HTTP).
type Code string

// The codes. Keep the list short: a caller should be able to switch on it.
const (
	Invalid         Code = "invalid"          // the input is malformed or breaks a rule (400/422)
	Unprocessable   Code = "unprocessable"    // well-formed but inconsistent input (422)
	NotFound        Code = "not_found"        // the object does not exist (404)
	Conflict        Code = "conflict"         // the request conflicts with current state (409)
	TooLarge        Code = "too_large"        // the body or a collection is over its limit (413)
	Unauthorized    Code = "unauthorized"     // no or bad credentials (401)
	Forbidden       Code = "forbidden"        // credentials lack the role or scope (403)
	RateLimited     Code = "rate_limited"     // too many requests for this token (429)
	Unavailable     Code = "unavailable"      // a dependency is down; retry later (503)
	Internal        Code = "internal"         // a bug; details are logged, not returned (500)
	OutsideDistrict Code = "outside_district" // a point lies outside the district (404 on locate, 422 on ingest)
)

// Error is an error with a Code, a human message safe to show to the caller,
// the offending input field (if any) and the wrapped cause (never shown).
type Error struct {
	Code    Code
	Message string
	Field   string
	Err     error
}

// Error implements error; it includes the cause for logs.
func (e *Error) Error() string {
	msg := string(e.Code) + ": " + e.Message
	if e.Field != "" {
		msg += " (field " + e.Field + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an *Error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field returns an *Error naming the offending input field.
func Field(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with the given code and message around cause.
func Wrap(cause error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// CodeOf returns the Code of the first *Error in err's chain, Internal for
// any other non-nil error, and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return CodeOf(err) == code }
