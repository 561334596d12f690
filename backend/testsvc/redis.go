package testsvc

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisURL returns the URL of the shared test Redis.
func RedisURL(tb testing.TB) string {
	tb.Helper()
	return requireEnv(tb, "GRIDCC_TEST_REDIS_URL")
}

// Redis returns a client of the shared test Redis and a key prefix of this
// test's own. Every key under the prefix is deleted when the test ends.
func Redis(tb testing.TB) (*redis.Client, string) {
	tb.Helper()
	opts, err := redis.ParseURL(RedisURL(tb))
	if err != nil {
		tb.Fatalf("testsvc: GRIDCC_TEST_REDIS_URL: %v", err)
	}
	opts.DisableIdentity = true // Redis 7.0 has no CLIENT SETINFO
	client := redis.NewClient(opts)
	ctx := Context(tb)
	if err := client.Ping(ctx).Err(); err != nil {
		tb.Fatalf("testsvc: Redis at GRIDCC_TEST_REDIS_URL does not answer: %v (%s)", err, hint)
	}
	prefix := RandomName("gridcc-test-") + ":"
	tb.Cleanup(func() {
		defer client.Close()
		deletePrefix(ctx, client, prefix)
	})
	return client, prefix
}

// CleanPrefix deletes every key under prefix in the Redis at url when the
// test ends: for tests whose gridcc processes write under a prefix of their
// own in the shared Redis. A Redis that is gone by then (a private server,
// stopped first) is left alone.
func CleanPrefix(tb testing.TB, url, prefix string) {
	tb.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("testsvc: %s: %v", url, err)
	}
	opts.DisableIdentity = true
	tb.Cleanup(func() {
		client := redis.NewClient(opts)
		defer client.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if client.Ping(ctx).Err() == nil {
			deletePrefix(ctx, client, prefix)
		}
	})
}

func deletePrefix(ctx context.Context, client *redis.Client, prefix string) {
	var keys []string
	iter := client.Scan(ctx, 0, prefix+"*", 10000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	for len(keys) > 0 { // UNLINK in chunks: one round trip per 1,000 keys
		n := min(len(keys), 1000)
		client.Unlink(ctx, keys[:n]...)
		keys = keys[n:]
	}
}
