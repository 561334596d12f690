package httpapi

import (
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
)

// maxEchoedParam bounds how much of a query parameter's name an error
// repeats: the name is the caller's input, of any length (up to the header
// limit), and an error is no place to reflect it whole.
const maxEchoedParam = 40

// echoParam is name cut to maxEchoedParam characters (and "…").
func echoParam(name string) string {
	if r := []rune(name); len(r) > maxEchoedParam {
		return string(r[:maxEchoedParam]) + "…"
	}
	return name
}

// unknownParam is the 400 of a parameter the route does not take; hint
// lists the ones it does, when given.
func unknownParam(name, hint string) error {
	if hint != "" {
		hint = " (" + hint + ")"
	}
	return apperr.Field(apperr.Invalid, echoParam(name), "unknown parameter %q%s", echoParam(name), hint)
}

// repeatedParam is the 400 of a parameter given more than once.
func repeatedParam(name string) error {
	return apperr.Field(apperr.Invalid, echoParam(name), "parameter %q given more than once", echoParam(name))
}

// queryParams parses the request's query string strictly. Gin's Query
// (like url.URL.Query) silently drops a pair it cannot parse, so
// "street=411602001%" or "a=1;b=2" would mean "no filter" without a word:
// routes that read parameters refuse such a query with a 400 instead.
func queryParams(c *gin.Context) (url.Values, error) {
	v, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "malformed query string: give name=value pairs joined by &, with %%XX escapes")
	}
	return v, nil
}
