package gossip

import (
	"testing"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/network"
)

// TestCloseDuringStalledSync: a node stops at once while a sync is in
// flight with a member that no longer answers (on the other side of a
// partition: its connection stalls, nothing is refused): Close resets the
// sync's stream rather than wait for its deadline, so that `kolo run`
// keeps its five seconds to stop.
func TestCloseDuringStalledSync(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b := newTestNode(t, "a", clk), newTestNode(t, "b", clk)
	a.found()
	b.join(a)
	// b takes a's sync stream and never answers.
	entered := make(chan struct{}, 1)
	release := make(chan struct{})
	defer close(release)
	b.host.SetStreamHandler(protocol.SyncID, func(s network.Stream) {
		entered <- struct{}{}
		<-release
		s.Reset()
	})
	// (A sync the join started may still run: syncSoon starts none while
	// one does.)
	deadline := time.After(10 * time.Second)
	for began := false; !began; {
		a.g.syncSoon(b.id)
		select {
		case <-entered:
			began = true
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("a's sync with b never began")
		}
	}
	start := time.Now()
	if err := a.g.Close(); err != nil {
		t.Fatal(err)
	}
	// The stream's deadline is the helpers' StreamTimeout, 10 s; the
	// daemon's whole stop has 5 s.
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %s with a stalled sync in flight; it waited for the stream's deadline", d.Round(time.Millisecond))
	}
}
