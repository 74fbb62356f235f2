package testnet

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/protocol"
)

// BenchmarkEndorsementPropagation measures the time from `kolo declaration
// sign` on one node (sign, store, publish) until every node of the network
// has verified and stored the endorsement, on loopback, with the network
// formed by Form (every node connected to every other, GossipSub meshes
// formed). Each iteration another node signs, with another date, so every
// endorsement is new, and withdraws it untimed (a member counts once, and
// signs at most declaration.MaxEndorsementsPerSigner times: iterations
// are capped at 8 per node). The network is built once per sub-benchmark:
//
//	go test ./testnet -run '^$' -bench EndorsementPropagation -benchtime 20x -count 3
//
// (20 iterations a run, 3 runs: 60 endorsements, 6 per node of the
// 10-node network; more would pass the 8 a member may sign)
//
// In the "/degree=8" variant each node is connected to 8 others only (its 4
// neighbours on either side of a ring), so a record travels several hops of
// GossipSub mesh, as in a network where not every member reaches every
// other directly. 8 is what a node keeps by itself (it dials remembered
// members while it has fewer), so nothing adds connections meanwhile.
func BenchmarkEndorsementPropagation(b *testing.B) {
	for _, c := range []struct {
		size, degree int // degree 0: every node connected to every other
	}{{10, 0}, {50, 0}, {50, 8}} {
		size := c.size
		var net *Net
		signed := 0 // endorsements made so far: -count runs reuse the network
		name := fmt.Sprintf("nodes=%d", size)
		if c.degree > 0 {
			name += fmt.Sprintf("/degree=%d", c.degree)
		}
		b.Run(name, func(b *testing.B) {
			if net == nil {
				net = benchNet(b, size, c.degree)
			}
			ctx := context.Background()
			var worst time.Duration
			var each []time.Duration
			day := time.Now().UTC()
			b.ResetTimer()
			for range b.N {
				k := signed
				signed++
				n := net.Node(k % size)
				// A node signs once a day; earlier days make new endorsements.
				date := day.AddDate(0, 0, -(k/size)-1)
				start := time.Now()
				e, err := n.Ledger().Sign(ctx, date)
				if err != nil {
					b.Fatal(err)
				}
				if err := n.Gossip().Publish(ctx, protocol.Record{Endorsement: &e}); err != nil {
					b.Fatal(err)
				}
				h, err := e.Hash()
				if err != nil {
					b.Fatal(err)
				}
				deadline := start.Add(time.Minute)
				for !net.Holds(h) {
					if time.Now().After(deadline) {
						b.Fatalf("endorsement %d has not reached every node after a minute", k)
					}
					time.Sleep(200 * time.Microsecond)
				}
				d := time.Since(start)
				each = append(each, d)
				worst = max(worst, d)
				// A node counts once: it withdraws (untimed) before it signs
				// again, at most MaxEndorsementsPerSigner times in all.
				b.StopTimer()
				rs, err := n.Ledger().Withdraw(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for i := range rs {
					if err := n.Gossip().Publish(ctx, protocol.Record{Revocation: &rs[i]}); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
			b.StopTimer()
			slices.Sort(each)
			var total time.Duration
			for _, d := range each {
				total += d
			}
			b.ReportMetric(total.Seconds()/float64(len(each)), "s/endorsement")
			b.ReportMetric(each[len(each)/2].Seconds(), "p50-s")
			b.ReportMetric(worst.Seconds(), "max-s")
		})
		if net != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			if err := net.Close(ctx); err != nil {
				b.Errorf("close the %d nodes: %v", size, err)
			}
			cancel()
			os.RemoveAll(net.opts.Dir)
		}
	}
}

// benchNet starts and forms a network of size nodes without form plugins.
// It outlives the sub-benchmark's first run (b.N = 1), so its directory is
// not b.TempDir(): the caller removes it after Close.
func benchNet(b *testing.B, size, degree int) *Net {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "kolo-bench-")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	net, err := Start(ctx, Options{N: size, Dir: dir, Logger: slog.New(slog.DiscardHandler),
		Node: node.Options{BuiltInForms: []string{}}})
	if err != nil {
		os.RemoveAll(dir)
		b.Fatal(err)
	}
	started := time.Since(start)
	err = net.Form(ctx)
	if err == nil && degree > 0 {
		err = ring(ctx, net, degree/2)
	}
	if err != nil {
		net.Close(context.Background())
		os.RemoveAll(dir)
		b.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("%d nodes: started in %s, formed in %s; Go heap in use %d MiB, from the OS %d MiB",
		size, started.Round(time.Millisecond), (time.Since(start) - started).Round(time.Millisecond), ms.HeapInuse>>20, ms.Sys>>20)
	return net
}

// ring leaves each node connected only to its k neighbours on either side
// of a ring, and waits until the GossipSub meshes connect them again.
func ring(ctx context.Context, net *Net, k int) error {
	size := net.Len()
	near := func(i, j int) bool {
		d := (j - i + size) % size
		return d <= k || d >= size-k
	}
	for i := range size {
		h := net.Node(i).Host()
		for j := range size {
			if j != i && !near(i, j) {
				h.Network().ClosePeer(net.Node(j).PeerID())
			}
		}
	}
	for i := range size {
		for d := 1; d <= k; d++ {
			if err := net.Connect(ctx, i, (i+d)%size); err != nil {
				return err
			}
		}
	}
	if err := WaitFor(ctx, "ring connections only", func() bool {
		for i := range size {
			if got := len(net.Node(i).Host().Network().Peers()); got != 2*k {
				return false
			}
		}
		return true
	}); err != nil {
		return err
	}
	return net.WaitMesh(ctx)
}
