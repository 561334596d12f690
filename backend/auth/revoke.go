package auth

import (
	"context"
	"log/slog"
	"time"
)

// endAccessTimeout bounds the Redis work of one revocation.
const endAccessTimeout = 5 * time.Second

// EndAccess returns a Store.OnRevoke hook that ends everything a revoked
// principal still holds: first its sessions (so nothing can reconnect),
// then disconnect(name), which closes its sockets on this replica (main
// passes the hub's Disconnect). Every replica polls the file and runs it;
// deleting sessions twice is harmless.
func EndAccess(sessions Sessions, disconnect func(name string)) func(name string) {
	return func(name string) {
		ctx, cancel := context.WithTimeout(context.Background(), endAccessTimeout)
		defer cancel()
		n, err := sessions.DeleteAll(ctx, name)
		if err != nil {
			// Get refuses these sessions anyway: their credential is gone.
			slog.Warn("auth: sessions of a revoked principal not deleted; they are refused on use", "principal", name, "err", err)
		} else if n > 0 {
			slog.Info("auth: sessions ended", "principal", name, "sessions", n)
		}
		if disconnect != nil {
			disconnect(name)
		}
	}
}
