package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/httpapi"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/wshub"
)

// hubFeed adapts the Redis follower's output to the hub's input.
type hubFeed struct{ hub *wshub.Hub }

func (f hubFeed) Reset(st redisbus.State) {
	f.hub.Reset(wshub.Snapshot{Epoch: st.Epoch, Seq: st.Seq, Open: st.Open, Day: st.Day, TodayByKind: st.TodayByKind})
}

func (f hubFeed) Apply(r event.Record) { f.hub.Apply(r) }

// hubLog lets the hub read old records from the Redis log, translating the
// "trimmed" error into the hub's own.
type hubLog struct{ log *redisbus.Log }

func (l hubLog) Range(ctx context.Context, since, until uint64) ([]event.Record, error) {
	recs, err := l.log.Range(ctx, since, until)
	if errors.Is(err, redisbus.ErrTrimmed) {
		return nil, fmt.Errorf("%w: %w", wshub.ErrTrimmed, err)
	}
	return recs, err
}

// hubServer adapts the hub to the HTTP layer's LiveHub.
type hubServer struct{ hub *wshub.Hub }

func (s hubServer) ServeWS(w http.ResponseWriter, r *http.Request, c httpapi.LiveClient) {
	ci := wshub.ClientInfo{Name: c.Name, Masked: c.Masked, Via: c.Via,
		Scope: wshub.Scope{Streets: c.Streets, Communities: c.Communities, Responder: c.Responder}}
	if c.Revalidate != nil {
		ci.Revalidate = func(ctx context.Context) error {
			err := c.Revalidate(ctx)
			if apperr.CodeOf(err) == apperr.Unauthorized {
				return fmt.Errorf("%w: %w", wshub.ErrCredentialEnded, err)
			}
			return err
		}
	}
	s.hub.ServeWS(w, r, ci)
}

// today returns the district-local date function the counters use.
func today(zone *time.Location) func() string {
	return func() string { return time.Now().In(zone).Format(time.DateOnly) }
}
