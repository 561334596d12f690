// Package httpapi is gridcc's HTTP surface: Gin routes, request and response
// types, and the one place where errors become statuses. It holds no
// business logic; handlers call the domain and adapter packages.
package httpapi

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/grid"
)

// Deps is what the HTTP layer needs from the rest of gridcc.
type Deps struct {
	District       *grid.District
	Checks         []Check              // components reported by /readyz
	Registry       *prometheus.Registry // exported at /metrics
	FrontendDir    string               // built screens; may be missing
	TrustedProxies []string             // CIDRs allowed to set X-Forwarded-For
}

// Server routes gridcc's HTTP API.
type Server struct {
	engine *gin.Engine
	checks []Check
	geo    *geoLayers
	dist   *grid.District
}

// New builds the router. It encodes and compresses the geo layers once here,
// so serving them costs no CPU per request.
func New(d Deps) (*Server, error) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	// Gin trusts every proxy by default, which lets any client forge its IP
	// (rate limits, audit). Only the configured proxies are believed.
	if err := e.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("httpapi: trusted proxies: %w", err)
	}
	geo, err := newGeoLayers(d.District)
	if err != nil {
		return nil, err
	}
	s := &Server{engine: e, checks: d.Checks, geo: geo, dist: d.District}
	m := newHTTPMetrics(d.Registry)
	e.Use(recoverJSON(), m.middleware(), logRequests())
	e.HandleMethodNotAllowed = true
	e.NoMethod(func(c *gin.Context) {
		writeErrorStatus(c, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed on this route")
	})

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", gin.WrapH(metricsHandler(d.Registry)))

	v1 := e.Group("/api/v1")
	v1.GET("/geo/:layer", s.geoLayer)
	v1.GET("/geo/locate", s.locate)

	mountFrontend(e, d.FrontendDir)
	return s, nil
}

// Handler returns the http.Handler serving every route.
func (s *Server) Handler() http.Handler { return s.engine }
