package redisbus_test

import "github.com/gridcc/gridcc/backend/redisbus"

var trim = redisbus.TrimForTest
