package ingest

import (
	"errors"

	"github.com/paulmach/orb"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
)

// locate resolves where an event happened. Precedence: lon/lat are located;
// a camera alert without them takes its camera's position; grid_id alone is
// accepted if it exists (the event is placed at the grid's label point).
// A grid_id that disagrees with the located grid is a 422.
func (s *Service) locate(in *event.Input) (event.Location, error) {
	var p orb.Point
	field := "lon"
	switch {
	case in.Lon != nil && in.Lat != nil:
		p = orb.Point{*in.Lon, *in.Lat}
	case in.CameraID != "":
		cam, ok := s.district.Camera(in.CameraID)
		if !ok {
			return event.Location{}, apperr.Field(apperr.Unprocessable, "camera_id", "unknown camera %q", in.CameraID)
		}
		p, field = cam.Point, "camera_id"
	case in.GridID != "":
		g, ok := s.district.Grid(in.GridID)
		if !ok {
			return event.Location{}, apperr.Field(apperr.Unprocessable, "grid_id", "unknown grid %q", in.GridID)
		}
		p = g.Label
	default:
		return event.Location{}, apperr.Field(apperr.Invalid, "lon", "a location is required: lon/lat, grid_id or (camera alerts) camera_id")
	}
	if in.CameraID != "" && field != "camera_id" {
		if _, ok := s.district.Camera(in.CameraID); !ok {
			return event.Location{}, apperr.Field(apperr.Unprocessable, "camera_id", "unknown camera %q", in.CameraID)
		}
	}
	loc, err := s.district.Locate(p)
	if errors.Is(err, grid.ErrOutsideDistrict) {
		return event.Location{}, apperr.Field(apperr.Unprocessable, field,
			"the point %.6f,%.6f is outside %s", p[0], p[1], s.district.Name)
	}
	if err != nil {
		return event.Location{}, apperr.Wrap(err, apperr.Invalid, "cannot locate the point")
	}
	if in.GridID != "" && in.GridID != loc.Grid.ID {
		return event.Location{}, apperr.Field(apperr.Unprocessable, "grid_id",
			"grid_id %q disagrees with the location, which lies in grid %s", in.GridID, loc.Grid.ID)
	}
	return event.Location{Lon: p[0], Lat: p[1], GridID: loc.Grid.ID, CommunityID: loc.Community.ID, StreetCode: loc.Street.Code}, nil
}
