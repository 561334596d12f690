package httpapi

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Check is one component /readyz asks about. A failing Critical check takes
// the replica out of the load balancer (503); a failing non-critical one
// (ClickHouse: history can lag while live traffic flows) only marks it
// degraded.
type Check struct {
	Name     string
	Critical bool
	// Probe reports the component's details (shown in the body) and an error
	// when it cannot do its job. It must return within its context's deadline.
	Probe func(ctx context.Context) (map[string]any, error)
}

// Component states in the /readyz body.
const (
	StateOK       = "ok"
	StateDegraded = "degraded"
	StateDown     = "down"
)

type componentStatus struct {
	Status  string         `json:"status"`
	Error   string         `json:"error,omitempty"`
	Details map[string]any `json:"details,omitempty"`
}

type readiness struct {
	Status     string                     `json:"status"`
	Components map[string]componentStatus `json:"components"`
}

// probeTimeout bounds every readiness probe so a hung dependency cannot hang
// the load balancer's health check.
const probeTimeout = 2 * time.Second

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": StateOK})
}

// readyz runs every check concurrently and answers 200 unless a critical
// component is down.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), probeTimeout)
	defer cancel()
	results := make([]componentStatus, len(s.checks))
	var wg sync.WaitGroup
	for i, chk := range s.checks {
		wg.Go(func() {
			details, err := chk.Probe(ctx)
			st := componentStatus{Status: StateOK, Details: details}
			if err != nil {
				st.Error = err.Error()
				st.Status = StateDegraded
				if chk.Critical {
					st.Status = StateDown
				}
			}
			results[i] = st
		})
	}
	wg.Wait()
	body := readiness{Status: StateOK, Components: make(map[string]componentStatus, len(results))}
	for i, chk := range s.checks {
		st := results[i]
		body.Components[chk.Name] = st
		switch {
		case st.Status == StateDown:
			body.Status = StateDown
		case st.Status == StateDegraded && body.Status == StateOK:
			body.Status = StateDegraded
		}
	}
	status := http.StatusOK
	if body.Status == StateDown {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, body)
}
