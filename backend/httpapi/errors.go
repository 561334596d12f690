package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
)

// statusOf is the one place where error codes become HTTP statuses.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:         http.StatusBadRequest,
	apperr.Unprocessable:   http.StatusUnprocessableEntity,
	apperr.NotFound:        http.StatusNotFound,
	apperr.Conflict:        http.StatusConflict,
	apperr.TooLarge:        http.StatusRequestEntityTooLarge,
	apperr.Unauthorized:    http.StatusUnauthorized,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.RateLimited:     http.StatusTooManyRequests,
	apperr.Unavailable:     http.StatusServiceUnavailable,
	apperr.Internal:        http.StatusInternalServerError,
	apperr.OutsideDistrict: http.StatusNotFound,
}

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail names what went wrong; Field is the offending input, if any.
type ErrorDetail struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
	Field   string      `json:"field,omitempty"`
}

// detailOf turns any error into what a client may see: an *apperr.Error's
// code, message and field, or a generic message for anything else (whose
// cause goes to the log only).
func detailOf(err error) ErrorDetail {
	var e *apperr.Error
	if errors.As(err, &e) && e.Code != apperr.Internal {
		return ErrorDetail{Code: e.Code, Message: e.Message, Field: e.Field}
	}
	return ErrorDetail{Code: apperr.Internal, Message: "internal error; the server log has the details"}
}

// writeError answers with err's status and body. Internal errors are logged
// with the route; client errors are not (they are the client's business, and
// logging them would let anyone fill the log).
func writeError(c *gin.Context, err error) {
	d := detailOf(err)
	status := statusOf[d.Code]
	if status == http.StatusInternalServerError || status == http.StatusServiceUnavailable {
		slog.Error("request failed", "route", c.FullPath(), "method", c.Request.Method, "status", status, "err", err)
	}
	c.AbortWithStatusJSON(status, ErrorBody{Error: d})
}

// writeErrorStatus answers with a fixed status and an ad-hoc error code, for
// failures the router itself detects (no route, wrong method, panics).
func writeErrorStatus(c *gin.Context, status int, code apperr.Code, msg string) {
	c.AbortWithStatusJSON(status, ErrorBody{Error: ErrorDetail{Code: code, Message: msg}})
}
