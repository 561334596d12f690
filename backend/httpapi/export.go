package httpapi

import (
	"bytes"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/report"
)

// maxExportRows bounds one download: a late-case list longer than this
// asks for a shorter period (the other tables are bounded by their top).
const maxExportRows = 10000

// registerExport mounts GET /export/:table on g, which needs the export
// permission: authz audits every request with its outcome, and the handler
// names the table, period and row count in the record. The table is one of
// the review screen's (exportTables) and takes its stats endpoint's
// parameters (docs/history.md, "Export").
func registerExport(g *gin.RouterGroup, q StatsQuerier, zone *time.Location, names report.Names) {
	e := exportHandlers{h: statsHandlers{q: q, zone: zone}, names: names}
	g.GET("/export/:table", e.export)
}

type exportHandlers struct {
	h     statsHandlers
	names report.Names
}

// exportTables are the tables the export serves: the stats endpoint whose
// parameters each takes, and how its answer becomes a table.
var exportTables = map[string]func(e exportHandlers, c *gin.Context) (report.Table, history.Period, error){
	"summary": func(e exportHandlers, c *gin.Context) (report.Table, history.Period, error) {
		v, err := e.h.summaryOf(c)
		return report.Summary(v), v.Current.Period, err
	},
	"trend": func(e exportHandlers, c *gin.Context) (report.Table, history.Period, error) {
		v, err := e.h.trendOf(c)
		return report.Trend(v, e.names), v.Period, err
	},
	"hotspots": func(e exportHandlers, c *gin.Context) (report.Table, history.Period, error) {
		v, err := e.h.hotspotsOf(c)
		return report.Hotspots(v, e.names), v.Period, err
	},
	"recurring": func(e exportHandlers, c *gin.Context) (report.Table, history.Period, error) {
		v, err := e.h.recurringOf(c)
		return report.Recurring(v, e.names, e.h.zone), v.Period, err
	},
	"overdue": func(e exportHandlers, c *gin.Context) (report.Table, history.Period, error) {
		v, err := e.h.overdueOf(c, false)
		return report.LateCases(v, e.names, e.h.zone), v.Period, err
	},
	"checkins": func(e exportHandlers, c *gin.Context) (report.Table, history.Period, error) {
		v, err := e.h.checkinsOf(c)
		return report.Checkins(v, e.names), v.Period, err
	},
}

// export is GET /api/v1/export/{summary|trend|hotspots|recurring|overdue|checkins}?<the endpoint's parameters>:
// the table as CSV (UTF-8 with a byte-order mark, CRLF), named
// gridcc-<table>-<period>.csv, and 川汇区-<title>-<period>.csv for clients
// that read RFC 5987 names.
func (e exportHandlers) export(c *gin.Context) {
	name := c.Param("table")
	build, ok := exportTables[name]
	if !ok {
		writeError(c, apperr.Field(apperr.NotFound, "table", "no export %q: summary, trend, hotspots, recurring, overdue or checkins", name))
		return
	}
	t, per, err := build(e, c)
	if err != nil {
		writeError(c, err)
		return
	}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, t); err != nil {
		writeError(c, err)
		return
	}
	label := per.Label()
	auditObject(c, name+" "+label)
	auditNote(c, "rows=%d", len(t.Rows))
	ascii := "gridcc-" + t.Name + "-" + label + ".csv"
	chinese := e.names.District() + "-" + t.Title + "-" + label + ".csv"
	c.Header("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+url.PathEscape(chinese))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// districtNames names streets and grids from the geodata and departments
// from the directory, for the CSV tables.
type districtNames struct {
	d   *grid.District
	dir *directory.Directory
}

func (n districtNames) District() string {
	if n.d == nil || n.d.Name == "" {
		return "gridcc"
	}
	return n.d.Name
}

func (n districtNames) Street(code string) string {
	if s, ok := n.d.Street(code); ok {
		return s.Name
	}
	return code
}

func (n districtNames) Grid(id string) string {
	if g, ok := n.d.Grid(id); ok {
		return g.Name
	}
	return id
}

func (n districtNames) Department(id string) string {
	if n.dir != nil {
		if e, ok := n.dir.Lookup(id); ok {
			return e.Name
		}
	}
	return id
}
