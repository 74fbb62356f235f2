package node

import (
	"context"
	"testing"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/keys"
)

// StartTestNode starts a real node for this package's tests, internal
// and external (package node_test sees it too, being compiled into the
// same test binary): its own home and store, a libp2p host on loopback,
// the local API on a free port, no form plugins, organisation org in RS.
// configure, if set, changes its configuration. It is closed when the
// test ends.
func StartTestNode(t *testing.T, org string, configure func(*config.Config)) *Node {
	t.Helper()
	ctx := context.Background()
	home := t.TempDir()
	c := config.Defaults()
	c.Network.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	c.Network.NAT = config.NAT{}
	c.API.Port = 0
	c.Log.Level = "warn"
	c.Store = config.Store{IndexCacheMB: 4, BlockCacheMB: 4, MemTableMB: 4}
	if configure != nil {
		configure(&c)
	}
	if _, err := Init(InitOptions{Home: home, Org: org, Country: "RS", Config: &c}); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Home: home, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	ks, err := keys.Read(ctx, home, "")
	if err != nil {
		t.Fatal(err)
	}
	n, err := New(ctx, cfg, ks, Options{BuiltInForms: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(ctx); err != nil {
		n.Close(ctx)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := n.Close(ctx); err != nil {
			t.Errorf("close node: %v", err)
		}
	})
	return n
}
