package httpapi

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/grid"
)

// geoLayerNames are the layers served at /api/v1/geo/{layer}. Personal data
// (the grid workers' directory) is not a layer and is never served here.
var geoLayerNames = []string{"boundary", "streets", "communities", "grids", "cameras"}

// encodedLayer is a layer encoded once at start-up: the JSON, its gzip form
// and a strong ETag over the JSON.
type encodedLayer struct {
	plain, gzipped []byte
	etag           string
}

type geoLayers map[string]encodedLayer

func newGeoLayers(d *grid.District) (*geoLayers, error) {
	layers := geoLayers{}
	for _, name := range geoLayerNames {
		fc := d.Layer(name)
		if fc == nil {
			continue // optional layer (cameras) absent from this district's data
		}
		plain, err := json.Marshal(fc)
		if err != nil {
			return nil, fmt.Errorf("httpapi: encode geo layer %s: %w", name, err)
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(plain); err != nil {
			return nil, fmt.Errorf("httpapi: gzip geo layer %s: %w", name, err)
		}
		if err := zw.Close(); err != nil {
			return nil, fmt.Errorf("httpapi: gzip geo layer %s: %w", name, err)
		}
		sum := sha256.Sum256(plain)
		layers[name] = encodedLayer{plain: plain, gzipped: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	}
	return &layers, nil
}

// geoLayer serves a layer as GeoJSON, gzip-compressed when the client accepts
// it, with an ETag so screens revalidate instead of downloading it again.
func (s *Server) geoLayer(c *gin.Context) {
	name := c.Param("layer")
	layer, ok := (*s.geo)[name]
	if !ok {
		writeError(c, apperr.Field(apperr.NotFound, "layer", "no geo layer %q (layers: %s)", name, strings.Join(geoLayerNames, ", ")))
		return
	}
	h := c.Writer.Header()
	h.Set("ETag", layer.etag)
	h.Set("Cache-Control", "public, max-age=300, must-revalidate")
	h.Set("Vary", "Accept-Encoding")
	if match := c.GetHeader("If-None-Match"); match != "" && strings.Contains(match, layer.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	body := layer.plain
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = layer.gzipped
	}
	c.Data(http.StatusOK, "application/geo+json", body)
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip (a
// "gzip;q=0" entry refuses it).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		enc, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(q, 64)
			return err == nil && f > 0
		}
		return true
	}
	return false
}

// LocateResponse is the answer of GET /api/v1/geo/locate.
type LocateResponse struct {
	GridID        string `json:"grid_id"`
	GridName      string `json:"grid_name"`
	GridType      string `json:"grid_type"`
	CommunityID   string `json:"community_id"`
	CommunityName string `json:"community_name"`
	StreetCode    string `json:"street_code"`
	StreetName    string `json:"street_name"`
}

// locate answers which grid holds ?lon=&lat= (WGS84): 400 for a bad number,
// 404 for a point outside the district.
func (s *Server) locate(c *gin.Context) {
	lon, err := coordinate(c.Query("lon"), "lon", 180)
	if err != nil {
		writeError(c, err)
		return
	}
	lat, err := coordinate(c.Query("lat"), "lat", 90)
	if err != nil {
		writeError(c, err)
		return
	}
	loc, err := s.dist.Locate(orb.Point{lon, lat})
	if errors.Is(err, grid.ErrOutsideDistrict) {
		writeError(c, apperr.New(apperr.OutsideDistrict, "point %.6f,%.6f is outside %s", lon, lat, s.dist.Name))
		return
	}
	if err != nil {
		writeError(c, apperr.Wrap(err, apperr.Invalid, "cannot locate this point"))
		return
	}
	c.JSON(http.StatusOK, LocateResponse{
		GridID: loc.Grid.ID, GridName: loc.Grid.Name, GridType: string(loc.Grid.Type),
		CommunityID: loc.Community.ID, CommunityName: loc.Community.Name,
		StreetCode: loc.Street.Code, StreetName: loc.Street.Name,
	})
}

// coordinate parses a decimal degree in [-limit, limit]; NaN and Inf are
// refused by name.
func coordinate(raw, field string, limit float64) (float64, error) {
	if raw == "" {
		return 0, apperr.Field(apperr.Invalid, field, "%s is required", field)
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, apperr.Field(apperr.Invalid, field, "%s must be a decimal number of degrees", field)
	}
	if v < -limit || v > limit {
		return 0, apperr.Field(apperr.Invalid, field, "%s must be within ±%g degrees", field, limit)
	}
	return v, nil
}
