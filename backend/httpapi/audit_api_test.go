package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// localLock is a chstore.Locker for one process.
type localLock struct{ mu sync.Mutex }

func (l *localLock) Lock(context.Context) (func(), error) {
	l.mu.Lock()
	return l.mu.Unlock, nil
}

// auditFixture is the login fixture writing to a real audit.Writer (its own
// ClickHouse database, the fixture's Redis prefix), running until the test
// ends.
func auditFixture(t *testing.T) *loginFixture {
	t.Helper()
	var w *audit.Writer
	fx := newLoginFixture(t, func(d *LoginDeps) {
		rdb, prefix := testsvc.Redis(t)
		w = audit.New(audit.ClickHouse(testsvc.ClickHouseDatabase(t), &localLock{}), rdb, prefix,
			audit.Options{FlushInterval: 20 * time.Millisecond}, prometheus.NewRegistry())
		d.Audit, d.AuditLog = w, w
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("audit writer: %v", err)
		}
	})
	return fx
}

// auditRows reads the audit log through GET /api/v1/audit as admin sun.
func auditRows(t *testing.T, fx *loginFixture, cookie string, params url.Values) []audit.Record {
	t.Helper()
	w := fx.do(request{method: "GET", target: "/api/v1/audit?" + params.Encode(), cookie: cookie})
	if w.Code != http.StatusOK {
		t.Fatalf("GET /audit: %d %s", w.Code, w.Body)
	}
	var resp AuditResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	return resp.Records
}

// TestAuditClientIP: audit rows reach ClickHouse with the client IP Gin
// derives from the trusted proxies only. A forged X-Forwarded-For from a
// peer that is not a trusted proxy changes nothing; through the trusted
// proxy, the address the proxy saw (the rightmost untrusted one) counts,
// not what the client wrote in front of it.
func TestAuditClientIP(t *testing.T) {
	fx := auditFixture(t)
	admin, _ := fx.login(t, "sun")
	tests := []struct {
		name, remote, xff, user, wantIP string
	}{
		{"ForgedXFFFromUntrustedPeer", "192.0.2.77:5555", "10.0.0.1", "zhang", "192.0.2.77"},
		{"ForgedChainFromUntrustedPeer", "192.0.2.78:5555", "10.1.0.5, 10.0.0.1", "li", "192.0.2.78"},
		{"TrustedProxy", "10.1.0.5:443", "203.0.113.9", "wang", "203.0.113.9"},
		{"ForgedXFFThroughTrustedProxy", "10.1.0.5:443", "10.0.0.1, 203.0.113.10", "zhao", "203.0.113.10"},
	}
	for _, tt := range tests {
		w := fx.do(request{method: "POST", target: "/api/v1/login", body: loginBody(tt.user, "Wrong-Horse-99"), remote: tt.remote, xff: tt.xff})
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("%s: login %d", tt.name, w.Code)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows []audit.Record
			deadline := time.Now().Add(20 * time.Second)
			for len(rows) == 0 && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
				rows = auditRows(t, fx, admin, url.Values{"user": {tt.user}, "action": {"login"}})
			}
			if len(rows) != 1 || rows[0].IP != tt.wantIP || rows[0].Outcome != audit.Failure || rows[0].Role != "" {
				t.Fatalf("audit rows: %+v; want one failure from %s", rows, tt.wantIP)
			}
		})
	}

	t.Run("OK/auditReadsAudited", func(t *testing.T) {
		var rows []audit.Record
		for range 400 {
			if rows = auditRows(t, fx, admin, url.Values{"user": {"sun"}, "action": {"GET /api/v1/audit"}}); len(rows) > 0 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if len(rows) == 0 || rows[0].Role != "admin" || rows[0].Outcome != audit.Success {
			t.Fatalf("reading the audit log was not audited: %+v", rows)
		}
	})
	t.Run("ErrParams", func(t *testing.T) {
		for _, q := range []string{"since=1", "limit=0", "limit=10001", "from=yesterday", "user=a&user=b",
			"from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", "from=2020-01-01T00:00:00Z&to=2025-01-01T00:00:00Z"} {
			if w := fx.do(request{method: "GET", target: "/api/v1/audit?" + q, cookie: admin}); w.Code != 400 {
				t.Errorf("%s: %d", q, w.Code)
			}
		}
	})
	t.Run("ErrAppendOnly", func(t *testing.T) {
		_, csrf := fx.login(t, "sun")
		for _, m := range []string{"PUT", "PATCH", "DELETE", "POST"} {
			if w := fx.do(request{method: m, target: "/api/v1/audit", cookie: admin, csrf: csrf}); w.Code != 404 {
				t.Errorf("%s /api/v1/audit: %d, want 404 (no such route)", m, w.Code)
			}
		}
	})
}
