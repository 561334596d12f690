package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/testsvc"
)

// TestNothingLostWhenRedisIsUnreachable: Redis frozen for 10 s (SIGSTOP:
// the connections stay open and nothing answers, as when the network to it
// is cut). Ingest must refuse rather than acknowledge, and afterwards every
// acknowledged event reaches the client.
func TestNothingLostWhenRedisIsUnreachable(t *testing.T) {
	frozen := 10 * time.Second
	if testing.Short() {
		frozen = 3 * time.Second
	}
	rs := testsvc.StartRedis(t)
	cl := newCluster(t, rs.URL)
	r := cl.start()
	c := startClient(t, fixed(r.URL), cl.WallToken)
	waitLive(t, c)
	var thawed time.Time
	acked := runLoad(t, fixed(r.URL), cl.IngestToken, func() {
		time.Sleep(time.Second)
		rs.Pause()
		time.Sleep(frozen)
		rs.Resume()
		thawed = time.Now()
		time.Sleep(2 * time.Second)
	})
	checkDelivered(t, "client across "+frozen.String()+" of unreachable Redis", c, acked)
	if c.resets != 0 {
		t.Errorf("%d resets: the replica must back-fill after Redis answers again, not reset its clients", c.resets)
	}
	t.Logf("recovery: every acknowledged event delivered %v after Redis answered again", time.Since(thawed).Round(time.Millisecond))
}

// TestNothingLostWhenPubSubDrops: the replicas' pub/sub connections are
// killed again and again while Redis stays up; the followers notice the
// gap and back-fill from the stream.
func TestNothingLostWhenPubSubDrops(t *testing.T) {
	rs := testsvc.StartRedis(t)
	cl := newCluster(t, rs.URL)
	a, b := cl.start(), cl.start()
	onA := startClient(t, fixed(a.URL), cl.WallToken)
	onB := startClient(t, fixed(b.URL), cl.WallToken)
	waitLive(t, onA)
	waitLive(t, onB)
	admin := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", rs.Port), DisableIdentity: true})
	defer admin.Close()
	killed := 0
	acked := runLoad(t, fixed(a.URL, b.URL), cl.IngestToken, func() {
		for range 10 {
			time.Sleep(300 * time.Millisecond)
			n, err := admin.ClientKillByFilter(context.Background(), "TYPE", "pubsub").Result()
			if err != nil {
				t.Fatalf("CLIENT KILL TYPE pubsub: %v", err)
			}
			killed += int(n)
		}
		time.Sleep(time.Second)
	})
	if killed == 0 {
		t.Fatal("no pub/sub connection was killed: the fault was not injected")
	}
	checkDelivered(t, "client of A", onA, acked)
	checkDelivered(t, "client of B", onB, acked)
	t.Logf("%d pub/sub connections killed", killed)
}
