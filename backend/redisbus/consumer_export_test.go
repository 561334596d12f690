package redisbus

import "github.com/redis/go-redis/v9"

// ClientForTest returns the log's Redis client (tests only).
func ClientForTest(l *Log) *redis.Client { return l.rdb }
