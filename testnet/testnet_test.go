package testnet

import (
	"context"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
)

func TestNetworkOnLoopback(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	net, err := Start(ctx, Options{N: 3, Dir: t.TempDir(), Node: node.Options{BuiltInForms: []string{}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { net.Close(context.Background()) })
	// Only members may connect: Form makes node 0 found a network that the
	// others join, then connects them all.
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	if err := WaitFor(ctx, "full mesh", func() bool {
		return net.Connected(0, 1) && net.Connected(0, 2) && net.Connected(1, 2)
	}); err != nil {
		t.Fatal(err)
	}
	// A node stopped and started again keeps its identity and reconnects.
	id := net.Node(2).PeerID()
	if err := net.StopNode(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := net.StartNode(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if got := net.Node(2).PeerID(); got != id {
		t.Fatalf("restarted node has peer %s, want %s", got, id)
	}
	if st := net.Node(2).Status(); st.Starts != 2 {
		t.Fatalf("restarted node's store says %d starts, want 2", st.Starts)
	}
	if err := net.Connect(ctx, 2, 0); err != nil {
		t.Fatal(err)
	}
	if err := WaitFor(ctx, "reconnect", func() bool { return net.Connected(0, 2) }); err != nil {
		t.Fatal(err)
	}
}
