// Package testnet runs a whole kolo network on one machine: N nodes on
// loopback, each with its own home directory, store and libp2p host, in one
// process. The multi-node tests use it, and so does `kolo testnet`, which
// gives a developer or an analyst a network to try things on.
//
// Nodes listen on 127.0.0.1 with ports chosen by the kernel, NAT traversal
// off, so several test networks run side by side.
package testnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Countries are given to nodes in turn: the four partner countries first.
var Countries = []string{"RS", "HR", "BA", "MK", "AL", "ME", "XK", "FR", "NL"}

// Options describe a test network.
type Options struct {
	N   int    // number of nodes, at least 1
	Dir string // where the homes go; each node is Dir/node-<i>
	// Logger receives every node's logs, tagged with node=<i>. nil discards.
	Logger *slog.Logger
	// Node is passed to every node (version, plugin executable, ...).
	Node node.Options
	// Configure, if set, changes node i's configuration when its home is
	// made (a test gives one node another query policy, say).
	Configure func(i int, c *config.Config)
	// Roles, if it has an entry for node i, are the roles node i is
	// invited with (default: partner).
	Roles map[int][]protocol.Role
	// NodeOptions, if set, changes node i's options (from Node) each time
	// it starts (a test gives each node its own connection gater, say).
	NodeOptions func(i int, o *node.Options)
	// Countries, if set, are given to the nodes in turn instead of the
	// package's Countries.
	Countries []string
}

// Net is a running test network.
type Net struct {
	opts  Options
	mu    sync.Mutex
	nodes []*node.Node // nil while a node is stopped
	homes []string
}

// Home returns the home directory of node i.
func Home(dir string, i int) string { return filepath.Join(dir, fmt.Sprintf("node-%02d", i)) }

// Org is the organisation name testnet gives node i.
func Org(i int) string { return fmt.Sprintf("Test CSO %02d", i) }

// Start creates (or reuses) the homes and starts every node.
func Start(ctx context.Context, opts Options) (*Net, error) {
	if opts.N < 1 {
		return nil, fmt.Errorf("testnet: need at least 1 node, got %d", opts.N)
	}
	if opts.Dir == "" {
		return nil, errors.New("testnet: no directory given")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	t := &Net{opts: opts, nodes: make([]*node.Node, opts.N), homes: make([]string, opts.N)}
	for i := range opts.N {
		t.homes[i] = Home(opts.Dir, i)
		if err := initHome(t.homes[i], i, t.country(i), opts.Configure); err != nil {
			return nil, err
		}
	}
	for i := range opts.N {
		if err := t.StartNode(ctx, i); err != nil {
			t.Close(context.WithoutCancel(ctx))
			return nil, err
		}
	}
	return t, nil
}

// loopback is the configuration of a test node: loopback only, free ports,
// no NAT traversal, small caches.
func loopback() config.Config {
	c := config.Defaults()
	c.Network.Listen = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	c.Network.NAT = config.NAT{}
	c.API.Port = 0
	c.Log.Level = "warn"
	c.Store = config.Store{IndexCacheMB: 4, BlockCacheMB: 4, MemTableMB: 4}
	return c
}

// country is the country of node i.
func (t *Net) country(i int) string {
	list := t.opts.Countries
	if len(list) == 0 {
		list = Countries
	}
	return list[i%len(list)]
}

func initHome(home string, i int, country string, configure func(int, *config.Config)) error {
	if _, err := os.Stat(filepath.Join(home, config.FileName)); err == nil {
		return nil // reuse an existing node
	}
	c := loopback()
	if configure != nil {
		configure(i, &c)
	}
	_, err := node.Init(node.InitOptions{Home: home, Org: Org(i), Country: country, Config: &c})
	if err != nil {
		return fmt.Errorf("testnet: init node %d: %w", i, err)
	}
	return nil
}

// StartNode starts node i (again) from its home.
func (t *Net) StartNode(ctx context.Context, i int) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.nodes[i] != nil {
		return fmt.Errorf("testnet: node %d is already running", i)
	}
	cfg, err := config.Load(config.Options{Home: t.homes[i], Getenv: func(string) string { return "" }})
	if err != nil {
		return fmt.Errorf("testnet: node %d: %w", i, err)
	}
	ks, err := keys.Read(ctx, t.homes[i], "")
	if err != nil {
		return fmt.Errorf("testnet: node %d: %w", i, err)
	}
	opts := t.opts.Node
	opts.Logger = t.opts.Logger.With("node", i)
	if t.opts.NodeOptions != nil {
		t.opts.NodeOptions(i, &opts)
	}
	n, err := node.New(ctx, cfg, ks, opts)
	if err != nil {
		return fmt.Errorf("testnet: node %d: %w", i, err)
	}
	if err := n.Start(ctx); err != nil {
		n.Close(context.WithoutCancel(ctx))
		return fmt.Errorf("testnet: start node %d: %w", i, err)
	}
	t.nodes[i] = n
	return nil
}

// StopNode stops node i; its home stays, so StartNode brings it back.
func (t *Net) StopNode(ctx context.Context, i int) error {
	t.mu.Lock()
	n := t.nodes[i]
	t.nodes[i] = nil
	t.mu.Unlock()
	if n == nil {
		return nil
	}
	return n.Close(ctx)
}

// Len is the number of nodes, running or stopped.
func (t *Net) Len() int { return len(t.homes) }

// Node returns node i, or nil while it is stopped.
func (t *Net) Node(i int) *node.Node {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.nodes[i]
}

// HomeOf returns node i's home directory.
func (t *Net) HomeOf(i int) string { return t.homes[i] }

// AddrInfo is how other nodes dial node i.
func (t *Net) AddrInfo(i int) peer.AddrInfo {
	n := t.Node(i)
	return peer.AddrInfo{ID: n.PeerID(), Addrs: n.Host().Addrs()}
}

// Connect dials node j from node i.
func (t *Net) Connect(ctx context.Context, i, j int) error {
	a, b := t.Node(i), t.Node(j)
	if a == nil || b == nil {
		return fmt.Errorf("testnet: connect %d→%d: node stopped", i, j)
	}
	if err := a.Host().Connect(ctx, t.AddrInfo(j)); err != nil {
		return fmt.Errorf("testnet: connect node %d to node %d: %w", i, j, err)
	}
	return nil
}

// ConnectAll connects every running node to every other, a few dials at
// a time.
func (t *Net) ConnectAll(ctx context.Context) error {
	type pair struct{ i, j int }
	pairs := make(chan pair)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range pairs {
				if err := t.Connect(ctx, p.i, p.j); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for i := range t.Len() {
		for j := i + 1; j < t.Len(); j++ {
			if t.Node(i) != nil && t.Node(j) != nil {
				pairs <- pair{i, j}
			}
		}
	}
	close(pairs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// Connected reports whether node i has a live connection to node j.
func (t *Net) Connected(i, j int) bool {
	a, b := t.Node(i), t.Node(j)
	return a != nil && b != nil && a.Host().Network().Connectedness(b.PeerID()) == network.Connected
}

// WaitFor polls cond until it holds or ctx ends; the multi-node tests wait
// on conditions with it instead of sleeping.
func WaitFor(ctx context.Context, what string, cond func() bool) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("testnet: waiting for %s: %w", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// Close stops every running node.
func (t *Net) Close(ctx context.Context) error {
	var errs []error
	for i := range t.Len() {
		if err := t.StopNode(ctx, i); err != nil {
			errs = append(errs, fmt.Errorf("node %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

// Seed enters perNode synthetic records on every running node's forms.
func (t *Net) Seed(ctx context.Context, perNode int) (int, error) {
	total := 0
	for i := range t.Len() {
		n := t.Node(i)
		if n == nil {
			continue
		}
		added, err := SeedNode(ctx, n, perNode, uint64(i+1))
		total += added
		if err != nil {
			return total, fmt.Errorf("node %d: %w", i, err)
		}
	}
	return total, nil
}
