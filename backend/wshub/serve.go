package wshub

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gridcc/gridcc/backend/apperr"
)

// writeBufferSize is the per-frame write buffer. Buffers come from a pool and
// are held only while a frame is written, so idle connections cost none.
const writeBufferSize = 16 << 10

// ServeWS upgrades r to a WebSocket for the principal ci, whom the caller has
// authenticated, and serves it until the connection ends.
//
// Before upgrading it checks the Origin header (403 when refused; see
// originAllowed) and that the hub has state to serve (503 before the first
// Reset or during shutdown). permessage-deflate is never negotiated.
func (h *Hub) ServeWS(w http.ResponseWriter, r *http.Request, ci ClientInfo) {
	h.mu.Lock()
	ready := h.ready && !h.stopping
	h.mu.Unlock()
	if !ready {
		writeHTTPError(w, http.StatusServiceUnavailable, apperr.Unavailable, "live state is not loaded yet; retry")
		return
	}
	up := websocket.Upgrader{
		ReadBufferSize:    1024, // client messages are small subscribes
		WriteBufferSize:   writeBufferSize,
		WriteBufferPool:   &h.bufs,
		EnableCompression: false, // compression of secrets next to attacker-chosen data leaks them (CRIME/BREACH)
		CheckOrigin:       func(r *http.Request) bool { return h.originAllowed(r, ci) },
		Error: func(w http.ResponseWriter, _ *http.Request, status int, reason error) {
			code := apperr.Invalid
			if status == http.StatusForbidden {
				code = apperr.Forbidden
			}
			writeHTTPError(w, status, code, reason.Error())
		},
	}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has replied
	}
	c := newClient(h, conn, ci)
	if !h.register(c) {
		_ = conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(CloseGoingAway, shutdownReason), time.Now().Add(h.opts.WriteTimeout))
		_ = conn.Close()
		return
	}
	slog.Debug("wshub: client connected", "client", c.id, "name", ci.Name, "masked", ci.Masked, "via", ci.Via)
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		c.writeLoop()
	}()
	c.readLoop()
	<-writerDone
	h.unregister(c)
}

// originAllowed is the defence against cross-site WebSocket hijacking: a
// browser attaches cookies to a handshake that any page may start, so the
// Origin must be one we trust.
//
//   - With AllowedOrigins, the Origin must equal one entry exactly
//     (scheme://host[:port], case-insensitive): no wildcards, no prefixes,
//     so https://wall.example.evil.tld does not pass for https://wall.example.
//   - Without, it must be same-origin: Origin's host[:port] equals Host.
//   - Without an Origin header (not a browser), only a bearer-token principal
//     is accepted; a cookie alone never is.
//
// "null", file:// and repeated Origin headers are refused.
func (h *Hub) originAllowed(r *http.Request, ci ClientInfo) bool {
	ok := h.checkOrigin(r, ci)
	if !ok {
		h.metrics.disconnects.WithLabelValues("origin").Inc()
		slog.Warn("wshub: handshake refused by origin check", "name", ci.Name, "via", ci.Via,
			"origin", truncateReason(r.Header.Get("Origin")), "host", truncateReason(r.Host))
	}
	return ok
}

func (h *Hub) checkOrigin(r *http.Request, ci ClientInfo) bool {
	values := r.Header.Values("Origin")
	switch len(values) {
	case 0:
		return ci.Via == ViaBearer
	case 1:
	default:
		return false
	}
	u, err := url.Parse(strings.ToLower(values[0]))
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	if len(h.opts.AllowedOrigins) > 0 {
		return slices.Contains(h.opts.AllowedOrigins, u.Scheme+"://"+u.Host)
	}
	return u.Host == strings.ToLower(r.Host)
}

// register adds c to the hub unless it is shutting down. The WaitGroup is
// only added to under h.mu while not stopping, so Run's Wait never races an
// Add.
func (h *Hub) register(c *client) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopping {
		return false
	}
	h.conns[c] = struct{}{}
	h.wg.Add(1)
	h.metrics.clients.Inc()
	return true
}

func (h *Hub) unregister(c *client) {
	h.mu.Lock()
	delete(h.conns, c)
	if c.filter != nil {
		c.filter = nil
		i := slices.Index(h.subs, c)
		h.subs[i] = h.subs[len(h.subs)-1]
		h.subs[len(h.subs)-1] = nil
		h.subs = h.subs[:len(h.subs)-1]
	}
	h.mu.Unlock()
	h.metrics.clients.Dec()
	h.wg.Done()
}

// writeHTTPError writes gridcc's JSON error body for a refused handshake.
func writeHTTPError(w http.ResponseWriter, status int, code apperr.Code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]map[string]string{"error": {"code": string(code), "message": message}})
}
