// Package redisbus is gridcc's Redis adapter: the durable event log (a Redis
// Stream), the live operational state, and pub/sub fan-out across replicas.
package redisbus

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Open parses a redis:// URL and returns a client with gridcc's timeouts. It
// does not require Redis to be up: the replica starts, reports not ready,
// and the client reconnects on its own.
func Open(rawURL string) (*redis.Client, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redisbus: parse URL: %w", err)
	}
	opts.DisableIdentity = true // Redis 7.0 has no CLIENT SETINFO
	opts.DialTimeout = 2 * time.Second
	opts.ReadTimeout = 3 * time.Second
	opts.WriteTimeout = 3 * time.Second
	return redis.NewClient(opts), nil
}

// Ping reports whether Redis answers, with its round trip for /readyz.
func Ping(ctx context.Context, c *redis.Client) (map[string]any, error) {
	start := time.Now()
	if err := c.Ping(ctx).Err(); err != nil {
		return nil, fmt.Errorf("redis ping: %w", err)
	}
	return map[string]any{"rtt_ms": float64(time.Since(start).Microseconds()) / 1000}, nil
}
