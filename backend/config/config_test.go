package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	t.Run("OK_defaults", func(t *testing.T) {
		c, err := FromEnv(env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if c.Addr != "127.0.0.1:8080" || c.IdempotencyTTL != 168*time.Hour || c.RateBurst != 200 || c.GeodataDir != "geodata" {
			t.Errorf("defaults not applied: %+v", c)
		}
		if len(c.TrustedProxies) != 0 {
			t.Errorf("no proxy may be trusted by default, got %v", c.TrustedProxies)
		}
	})
	t.Run("OK_overrides", func(t *testing.T) {
		c, err := FromEnv(env(map[string]string{"GRIDCC_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1", "GRIDCC_LOG_LEVEL": "debug"}))
		if err != nil {
			t.Fatal(err)
		}
		if len(c.TrustedProxies) != 2 || c.TrustedProxies[1] != "192.168.1.1" || c.LogLevel.String() != "DEBUG" {
			t.Errorf("got %+v", c)
		}
	})
	t.Run("OKDebugOnLoopback", func(t *testing.T) {
		for _, addr := range []string{"127.0.0.1:6060", "[::1]:6060", "localhost:0"} {
			if c, err := FromEnv(env(map[string]string{"GRIDCC_DEBUG_ADDR": addr})); err != nil || c.DebugAddr != addr {
				t.Errorf("GRIDCC_DEBUG_ADDR=%s: %v", addr, err)
			}
		}
	})
	t.Run("OK_retention", func(t *testing.T) {
		c, err := FromEnv(env(map[string]string{"GRIDCC_HISTORY_RETENTION_DAYS": "731", "GRIDCC_AUDIT_RETENTION_DAYS": "180"}))
		if err != nil || c.HistoryRetentionDays != 731 || c.AuditRetentionDays != 180 {
			t.Errorf("got %d, %d, %v", c.HistoryRetentionDays, c.AuditRetentionDays, err)
		}
		if c, _ := FromEnv(env(nil)); c.HistoryRetentionDays != 0 || c.AuditRetentionDays != 0 {
			t.Errorf("retention must be off by default, got %d and %d days", c.HistoryRetentionDays, c.AuditRetentionDays)
		}
	})
	t.Run("ErrAuditRetentionSaysWhy", func(t *testing.T) {
		_, err := FromEnv(env(map[string]string{"GRIDCC_AUDIT_RETENTION_DAYS": "90"}))
		if err == nil || !strings.Contains(err.Error(), "at least 180 days") {
			t.Errorf("err = %v, want one saying the audit log is kept at least 180 days", err)
		}
	})
	bad := map[string]string{
		"GRIDCC_REDIS_URL":        "http://x",
		"GRIDCC_CLICKHOUSE_URL":   "clickhouse://",
		"GRIDCC_TIMEZONE":         "Mars/Olympus",
		"GRIDCC_LOG_FORMAT":       "xml",
		"GRIDCC_SHUTDOWN_TIMEOUT": "-1s",
		"GRIDCC_RATE_PER_S":       "NaN",
		"GRIDCC_WS_RING":          "0",
		"GRIDCC_SECURE_COOKIES":   "maybe",
		"GRIDCC_DEBUG_ADDR":       "0.0.0.0:6060",

		"GRIDCC_HISTORY_RETENTION_DAYS": "-1",
		"GRIDCC_AUDIT_RETENTION_DAYS":   "179",
	}
	for name, val := range bad {
		t.Run("Err_"+name, func(t *testing.T) {
			_, err := FromEnv(env(map[string]string{name: val}))
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("err = %v, want an error naming %s", err, name)
			}
		})
	}
}

func TestLogValueMasksPasswords(t *testing.T) {
	get := env(map[string]string{"GRIDCC_REDIS_URL": "redis://app:s3cret@10.1.1.1:6379/0"})
	c, err := FromEnv(get)
	if err != nil {
		t.Fatal(err)
	}
	if s := c.LogValue(get).String(); strings.Contains(s, "s3cret") || !strings.Contains(s, "10.1.1.1") {
		t.Errorf("log value %q leaks the password or hides the host", s)
	}
}

func TestVarsDocumented(t *testing.T) {
	for _, v := range Vars() {
		if !strings.HasPrefix(v.Name, "GRIDCC_") || v.Doc == "" {
			t.Errorf("%s: every variable needs the GRIDCC_ prefix and a doc", v.Name)
		}
	}
}
