package auth

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/gridcc/gridcc/backend/testsvc"
)

// TestLogoutBus: a logout published on one replica reaches the handler of
// every replica, its own included.
func TestLogoutBus(t *testing.T) {
	rdb, prefix := testsvc.Redis(t)
	var mu sync.Mutex
	got := map[string][]string{}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var buses []*LogoutBus
	for _, replica := range []string{"a", "b"} {
		bus := NewLogoutBus(rdb, prefix, func(name string) {
			mu.Lock()
			got[replica] = append(got[replica], name)
			mu.Unlock()
			if name == "boom" {
				panic("handler bug")
			}
		})
		buses = append(buses, bus)
		wg.Go(func() {
			if err := bus.Run(ctx); err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
	// Subscriptions are asynchronous: wait until both are in place.
	channel := prefix + "{auth}:logout"
	eventually(t, "both buses subscribed", func() bool {
		n, err := rdb.PubSubNumSub(testsvc.Context(t), channel).Result()
		return err == nil && n[channel] == 2
	})
	for _, name := range []string{"boom", "zhang"} {
		if err := buses[0].Publish(testsvc.Context(t), name); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "both replicas told", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return slices.Equal(got["a"], []string{"boom", "zhang"}) && slices.Equal(got["b"], []string{"boom", "zhang"})
	})
}
