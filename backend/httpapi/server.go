// Package httpapi is gridcc's HTTP surface: Gin routes, request and response
// types, and the one place where errors become statuses. It holds no
// business logic; handlers call the domain and adapter packages.
package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/ingest"
)

// Deps is what the HTTP layer needs from the rest of gridcc.
type Deps struct {
	District       *grid.District
	Checks         []Check              // components reported by /readyz
	Registry       *prometheus.Registry // exported at /metrics
	FrontendDir    string               // built screens; may be missing
	TrustedProxies []string             // CIDRs allowed to set X-Forwarded-For
	Ingest         *ingest.Service
	Auth           AuthDeps
	Login          LoginDeps
	Live           LiveHub              // the WebSocket hub behind GET /ws
	Workflow       WorkflowService      // case actions, lists and details
	Duty           DutyRoster           // the grid workers on duty (personal data); required
	Stats          StatsQuerier         // the history behind /api/v1/stats
	Directory      *directory.Directory // department names in exports; may be nil (ids then)
	Zone           *time.Location       // the district's time zone (days, weeks)
}

// AuthDeps is what authentication needs.
type AuthDeps struct {
	Store         *auth.Store
	Sessions      auth.Sessions
	Limiter       *auth.Limiter
	DefaultRate   float64 // per token without its own rate
	DefaultBurst  int
	SecureCookies bool
}

// LiveHub serves WebSocket clients (implemented by wshub.Hub).
type LiveHub interface {
	// ServeWS upgrades the request (after its own Origin check) and serves
	// the client until it leaves.
	ServeWS(w http.ResponseWriter, r *http.Request, c LiveClient)
}

// Server routes gridcc's HTTP API.
type Server struct {
	engine *gin.Engine
	checks []Check
	geo    *geoLayers
	dist   *grid.District
	duty   DutyRoster
	ingest *ingest.Service
	live   LiveHub
}

// New builds the router. It encodes and compresses the geo layers once here,
// so serving them costs no CPU per request.
func New(d Deps) (*Server, error) {
	if d.Duty == nil {
		return nil, errors.New("httpapi: Deps.Duty (the duty roster) is required")
	}
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
	s := &Server{engine: e, checks: d.Checks, geo: geo, dist: d.District, duty: d.Duty, ingest: d.Ingest, live: d.Live}
	authn := &authenticator{store: d.Auth.Store, sessions: d.Auth.Sessions, limiter: d.Auth.Limiter,
		defaultRate: d.Auth.DefaultRate, defaultBurst: d.Auth.DefaultBurst, secureCookies: d.Auth.SecureCookies}
	m := newHTTPMetrics(d.Registry)
	e.Use(recoverJSON(), m.middleware(), logRequests())
	e.HandleMethodNotAllowed = true
	e.NoMethod(func(c *gin.Context) {
		writeErrorStatus(c, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed on this route")
	})

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", gin.WrapH(metricsHandler(d.Registry)))

	// The geo layers hold no personal data (grid workers live elsewhere):
	// they are public, like a printed map, so caches and tools need no token.
	v1 := e.Group("/api/v1")
	v1.GET("/geo/:layer", s.geoLayer)
	v1.GET("/geo/locate", s.locate)

	registerAuthRoutes(v1, authn, d.Login)

	ingestOnly := authn.authz(auth.PermIngest)
	v1.POST("/events", ingestOnly, s.postEvent)
	v1.POST("/events/batch", ingestOnly, s.postBatch)
	registerWorkflow(v1, d.Workflow, authorizeEvent, authn.authz(auth.PermEventsRead))
	registerStats(v1.Group("", authn.authz(auth.PermStatsRead)), d.Stats, d.Zone)
	// Who to call about a grid: masked, or in full and audited (dutyReveal).
	v1.GET("/grids/:id/duty", authn.authz(auth.PermDutyRead), s.gridDuty)
	registerExport(v1.Group("", authn.authz(auth.PermExport)), d.Stats, d.Zone, districtNames{d.District, d.Directory})

	e.GET("/ws", authn.authz(auth.PermWatch), s.serveWS)

	mountFrontend(e, d.FrontendDir, authn.exchangeToken())
	return s, nil
}

// serveWS hands the authenticated client, with its scope, to the hub.
func (s *Server) serveWS(c *gin.Context) {
	s.live.ServeWS(c.Writer, c.Request, liveClient(c))
}

// Handler returns the http.Handler serving every route.
func (s *Server) Handler() http.Handler { return s.engine }
