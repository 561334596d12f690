package redisbus

import "github.com/redis/go-redis/v9"

// ClientForTest returns the log's Redis client (tests only).
func ClientForTest(l *Log) *redis.Client { return l.rdb }

// SetPerCommandForTest lowers how many entries one Redis command of c
// handles, so tests cover the chunking with a few records (tests only).
func SetPerCommandForTest(c *Consumer, n int) { c.perCommand = n }
