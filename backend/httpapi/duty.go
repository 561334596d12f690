package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/duty"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
)

// DutyRoster says who is on duty in a grid; *duty.Roster implements it.
type DutyRoster interface {
	// OnDuty returns the worker on duty in the grid, false when nobody is on
	// record for it.
	OnDuty(gridID string) (duty.Worker, bool)
}

var _ DutyRoster = (*duty.Roster)(nil)

// DutyResponse answers GET /api/v1/grids/:id/duty.
type DutyResponse struct {
	GridID      string      `json:"grid_id"`
	GridName    string      `json:"grid_name"`
	CommunityID string      `json:"community_id"`
	StreetCode  string      `json:"street_code"`
	Worker      *DutyWorker `json:"worker"` // null: nobody on record for the grid
	// Masked says whether Worker is masked (the caller may not reveal
	// personal data, or the grid is outside its scope).
	Masked bool `json:"masked"`
}

// DutyWorker is the grid worker on duty as the caller may see them.
type DutyWorker struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// gridDuty is GET /api/v1/grids/:id/duty (authz duty.read): the grid worker
// on duty, masked unless dutyReveal says otherwise; 404 for a grid the
// district does not have; no query parameters.
func (s *Server) gridDuty(c *gin.Context) {
	if err := onlyParams(c); err != nil {
		writeError(c, err)
		return
	}
	id := c.Param("id")
	g, ok := s.dist.Grid(id)
	if !ok {
		writeError(c, apperr.New(apperr.NotFound, "grid %.64q not found", id))
		return
	}
	resp := DutyResponse{GridID: g.ID, GridName: g.Name, CommunityID: g.CommunityID, StreetCode: g.StreetCode, Masked: true}
	if w, ok := s.duty.OnDuty(g.ID); ok {
		resp.Worker, resp.Masked = dutyReveal(c, g, w)
	}
	// A name and a phone number, even masked, are not for shared caches.
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, resp)
}

// dutyReveal returns w as the caller admitted by authz may see it, and
// whether that is masked. In full when its role may reveal personal data
// (auth.PermPersonalReveal) and g is within its scope — judged on the grid's
// street and community, so an officer sees every grid, a street or
// community role its own; a responder's scope is what is dispatched to it,
// which a grid is not, so it sees the worker masked. Every answer in full is
// audited: action "reveal", object the grid id.
//
// Masking follows the rules of event.Masked for a reporter's name and a
// caller's phone ("段某", "132****3358"), applied through it so that a
// worker is never masked differently from the people in events.
func dutyReveal(c *gin.Context, g *grid.Grid, w duty.Worker) (*DutyWorker, bool) {
	a, p := authnOf(c), principal(c)
	if a == nil || !p.Role.Can(auth.PermPersonalReveal) || !auth.InScope(p, auth.Object{Street: g.StreetCode, Community: g.CommunityID}) {
		m := event.Masked(event.Event{ReporterName: w.Name, CallerPhone: w.Phone})
		return &DutyWorker{Name: m.ReporterName, Phone: m.CallerPhone}, true
	}
	a.record(c, p, audit.Record{Action: "reveal", Object: g.ID, Outcome: audit.Success,
		Detail: "fields=worker_name,worker_phone (grid worker on duty)"})
	return &DutyWorker{Name: w.Name, Phone: w.Phone}, false
}
