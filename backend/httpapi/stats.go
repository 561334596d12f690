package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// StatsQuerier answers the review screens' questions; *history.Stats
// implements it over ClickHouse. Errors are *apperr.Error (Unavailable
// while ClickHouse is down: 503).
type StatsQuerier interface {
	Summary(ctx context.Context, f history.Filter, p history.Period) (history.Summary, error)
	Trend(ctx context.Context, f history.Filter, p history.Period, g history.Granularity, split history.Dimension, top int) (history.Trend, error)
	Hotspots(ctx context.Context, f history.Filter, p history.Period, level history.Dimension, top int) (history.Hotspots, error)
	Recurring(ctx context.Context, category, street string, p history.Period, at history.Place, times, withinDays, top int) (history.RecurringList, error)
	Heatmap(ctx context.Context, f history.Filter, p history.Period, risk bool) (history.Heatmap, error)
	Overdue(ctx context.Context, f history.Filter, p history.Period, list history.CaseList, page history.Page) (history.LateCases, error)
	Checkins(ctx context.Context, f history.Filter, p history.Period) (history.Checkins, error)
	Replay(ctx context.Context, q history.ReplayQuery) (history.Replay, error)
	Search(ctx context.Context, q history.SearchQuery) (history.SearchResult, error)
}

var _ StatsQuerier = (*history.Stats)(nil)

// Defaults and bounds of the recurring list ("the same kind of dispute came
// back N times in M days").
const (
	recurringDays     = 90 // default period: the last quarter
	recurringCategory = "dispute"
	recurringTimes    = 3
	recurringWithin   = 30
	recurringTop      = 50
	maxRecurringDays  = 365
)

// registerStats mounts GET /stats/summary|trend|hotspots|recurring|heatmap
// on g, the review's overdue|checkins|replay (review.go) and the console's
// search of the history (search.go); docs/history.md
// describes every parameter. Days and weeks are the
// district's, in zone. Every parameter is validated; an unknown one is a
// 400 too, so a typo never silently means "no filter".
func registerStats(g *gin.RouterGroup, q StatsQuerier, zone *time.Location) {
	h := statsHandlers{q: q, zone: zone}
	g.GET("/stats/summary", h.summary)
	g.GET("/stats/trend", h.trend)
	g.GET("/stats/hotspots", h.hotspots)
	g.GET("/stats/recurring", h.recurring)
	g.GET("/stats/heatmap", h.heatmap)
	g.GET("/stats/overdue", h.overdue)
	g.GET("/stats/checkins", h.checkins)
	g.GET("/stats/replay", h.replay)
	g.GET("/stats/search", h.search)
}

type statsHandlers struct {
	q    StatsQuerier
	zone *time.Location
}

// statsParams reads a request's query, remembering the first error so a
// handler reads all it needs and checks once.
type statsParams struct {
	c   *gin.Context
	err error
}

func (h statsHandlers) params(c *gin.Context, allowed ...string) *statsParams {
	p := &statsParams{c: c}
	known := map[string]bool{"from": true, "to": true, "week": true}
	for _, a := range allowed {
		known[a] = true
	}
	params, err := queryParams(c)
	p.fail(err)
	for name, vals := range params {
		switch {
		case !known[name]:
			p.fail(unknownParam(name, ""))
		case len(vals) > 1:
			p.fail(repeatedParam(name))
		}
	}
	return p
}

func (p *statsParams) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *statsParams) period(today history.Date, defaultDays int) history.Period {
	from, to, week := p.c.Query("from"), p.c.Query("to"), p.c.Query("week")
	if from == "" && to == "" && week == "" && defaultDays != history.DefaultPeriodDays {
		from = today.AddDays(1 - defaultDays).String()
	}
	per, err := history.ParsePeriod(from, to, week, today)
	p.fail(err)
	return per
}

func (p *statsParams) filter() history.Filter {
	f, err := history.ParseFilter(p.c.Query("kind"), p.c.Query("category"), p.c.Query("street"))
	p.fail(err)
	return f
}

// integer reads an integer parameter from lo to hi, def when absent.
func (p *statsParams) integer(name string, def, lo, hi int) int {
	s := p.c.Query(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		p.fail(apperr.Field(apperr.Invalid, name, "%s must be an integer from %d to %d", name, lo, hi))
	}
	return n
}

func (p *statsParams) dimension(name string, def history.Dimension, allowed ...history.Dimension) history.Dimension {
	d, err := history.ParseDimension(name, p.c.Query(name), def, allowed...)
	p.fail(err)
	return d
}

func (h statsHandlers) today() history.Date { return history.DateOf(time.Now(), h.zone) }

// answer writes v, or the error.
func answer(c *gin.Context, v any, err error) {
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// The handlers below answer JSON; each reads its parameters and asks the
// history in a query function of its own (summaryOf …), which the CSV
// export (export.go) calls too, so a download always holds what the
// screen showed for the same parameters.

// summary is GET /api/v1/stats/summary?from&to|week&kind&category&street.
func (h statsHandlers) summary(c *gin.Context) {
	v, err := h.summaryOf(c)
	answer(c, v, err)
}

func (h statsHandlers) summaryOf(c *gin.Context) (history.Summary, error) {
	p := h.params(c, "kind", "category", "street")
	per, f := p.period(h.today(), history.DefaultPeriodDays), p.filter()
	if p.err != nil {
		return history.Summary{}, p.err
	}
	return h.q.Summary(c.Request.Context(), f, per)
}

// trend is GET /api/v1/stats/trend?…&granularity=day|week|month&split=kind|category|street|grid&top.
func (h statsHandlers) trend(c *gin.Context) {
	v, err := h.trendOf(c)
	answer(c, v, err)
}

func (h statsHandlers) trendOf(c *gin.Context) (history.Trend, error) {
	p := h.params(c, "kind", "category", "street", "granularity", "split", "top")
	per, f := p.period(h.today(), history.DefaultPeriodDays), p.filter()
	split := p.dimension("split", history.ByCategory, history.ByKind, history.ByCategory, history.ByStreet, history.ByGrid)
	top := p.integer("top", history.DefaultTop, 1, history.MaxTop)
	var g history.Granularity
	if p.err == nil {
		var err error
		g, err = history.ParseGranularity(c.Query("granularity"), per)
		p.fail(err)
	}
	if p.err != nil {
		return history.Trend{}, p.err
	}
	return h.q.Trend(c.Request.Context(), f, per, g, split, top)
}

// hotspots is GET /api/v1/stats/hotspots?…&level=grid|street&top.
func (h statsHandlers) hotspots(c *gin.Context) {
	v, err := h.hotspotsOf(c)
	answer(c, v, err)
}

func (h statsHandlers) hotspotsOf(c *gin.Context) (history.Hotspots, error) {
	p := h.params(c, "kind", "category", "street", "level", "top")
	per, f := p.period(h.today(), history.DefaultPeriodDays), p.filter()
	level := p.dimension("level", history.ByGrid, history.ByGrid, history.ByStreet)
	top := p.integer("top", history.DefaultTop, 1, history.MaxTop)
	if p.err != nil {
		return history.Hotspots{}, p.err
	}
	return h.q.Hotspots(c.Request.Context(), f, per, level, top)
}

// recurring is GET /api/v1/stats/recurring?…&category=dispute&street&at=address|grid&times=3&within=30&top.
// Without a period it looks at the last 90 days.
func (h statsHandlers) recurring(c *gin.Context) {
	v, err := h.recurringOf(c)
	answer(c, v, err)
}

func (h statsHandlers) recurringOf(c *gin.Context) (history.RecurringList, error) {
	p := h.params(c, "category", "street", "at", "times", "within", "top")
	per := p.period(h.today(), recurringDays)
	// An empty category=, like an empty top=, means the default: the list
	// is always about one category.
	category := c.Query("category")
	if category == "" {
		category = recurringCategory
	}
	f, err := history.ParseFilter("", category, c.Query("street"))
	p.fail(err)
	at := history.Place(c.DefaultQuery("at", string(history.AtAddress)))
	if at != history.AtAddress && at != history.AtGrid {
		p.fail(apperr.Field(apperr.Invalid, "at", "at must be address or grid"))
	}
	times := p.integer("times", recurringTimes, 2, 50)
	within := p.integer("within", recurringWithin, 1, maxRecurringDays)
	top := p.integer("top", recurringTop, 1, history.MaxTop)
	if p.err != nil {
		return history.RecurringList{}, p.err
	}
	v, err := h.q.Recurring(c.Request.Context(), f.Category, f.Street, per, at, times, within, top)
	if at == history.AtAddress && !principal(c).Role.Can(auth.PermPersonalReveal) {
		// An address is personal data: the wall and the reviewer see the
		// community it is in, as in every masked event.
		for i := range v.Items {
			v.Items[i].Place = event.MaskAddress(v.Items[i].Place)
		}
	}
	return v, err
}

// heatmap is GET /api/v1/stats/heatmap?…&risk=true.
func (h statsHandlers) heatmap(c *gin.Context) {
	p := h.params(c, "kind", "category", "street", "risk")
	per, f := p.period(h.today(), history.DefaultPeriodDays), p.filter()
	risk, err := strconv.ParseBool(c.DefaultQuery("risk", "false"))
	if err != nil {
		p.fail(apperr.Field(apperr.Invalid, "risk", "risk must be true or false"))
	}
	if p.err != nil {
		writeError(c, p.err)
		return
	}
	v, err := h.q.Heatmap(c.Request.Context(), f, per, risk)
	answer(c, v, err)
}
