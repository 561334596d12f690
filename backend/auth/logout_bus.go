package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/apperr"
)

// LogoutBus tells every replica that a principal logged out, so that each
// closes the principal's sockets: a browser's WebSocket may be served by
// another replica than its logout request. Revocations through the auth
// file need no bus: every replica polls the file itself.
//
// Delivery is Redis pub/sub, at most once: a replica that is reconnecting
// to Redis misses the message and that socket stays open until it closes
// for another reason; it can never open again, because the session is
// deleted before the message is sent. The channel is
// <prefix>{auth}:logout; the message is the principal's name.
type LogoutBus struct {
	rdb     redis.UniversalClient
	channel string
	handle  func(name string)
}

// NewLogoutBus returns the bus on rdb under prefix (GRIDCC_REDIS_PREFIX);
// handle runs on this replica for every logout on any replica (main passes
// the hub's Disconnect).
func NewLogoutBus(rdb redis.UniversalClient, prefix string, handle func(name string)) *LogoutBus {
	return &LogoutBus{rdb: rdb, channel: prefix + "{auth}:logout", handle: handle}
}

// Publish announces that name logged out. apperr.Unavailable when Redis
// fails.
func (b *LogoutBus) Publish(ctx context.Context, name string) error {
	if err := b.rdb.Publish(ctx, b.channel, name).Err(); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "logout bus unavailable")
	}
	return nil
}

// Run delivers logouts to handle until ctx ends (then it returns nil). The
// subscription reconnects by itself after Redis failures; a panic in handle
// is logged and the loop goes on.
func (b *LogoutBus) Run(ctx context.Context) error {
	sub := b.rdb.Subscribe(ctx, b.channel)
	defer sub.Close()
	// Wait for the subscription, so a logout right after start is not lost
	// to a race; if Redis is down now, the channel below resubscribes later.
	if _, err := sub.Receive(ctx); err != nil && ctx.Err() == nil {
		slog.Warn("auth: logout bus not subscribed yet; retrying in the background", "err", err)
	}
	ch := sub.Channel(redis.WithChannelSendTimeout(time.Second))
	for {
		select {
		case <-ctx.Done():
			return nil
		case msg, ok := <-ch:
			if !ok {
				return nil
			}
			b.deliver(msg.Payload)
		}
	}
}

func (b *LogoutBus) deliver(name string) {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("auth: logout handler panicked", "principal", name, "panic", r)
		}
	}()
	b.handle(name)
}
