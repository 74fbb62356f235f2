package testnet

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/plugins/sdk"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// echoID is the bare protocol of the baseline: a stream that carries one
// small message each way and does no work.
const echoID = "/kolo-bench/echo/1.0.0"

// BenchmarkFederatedQuery measures the wall time of one federated query on
// loopback, from `kolo query` on node 0 (parse, sign, publish) until every
// node's answer is back, verified, opened and stored at node 0: every node
// evaluates the query over its judgments, protects, seals, signs and
// delivers. Beside it, in the same run, the same fan-out done with bare
// libp2p streams that do no work (node 0 opens a stream to every other
// node, sends a byte, reads a byte back). Nodes take the four countries
// with built-in forms in turn.
//
//	go test ./testnet -run '^$' -bench FederatedQuery -benchtime 20x -count 3 -timeout 100m
func BenchmarkFederatedQuery(b *testing.B) {
	for _, c := range []struct{ nodes, records int }{{4, 10000}, {16, 1000}, {50, 1000}} {
		b.Run(fmt.Sprintf("nodes=%d/records=%d", c.nodes, c.records), func(b *testing.B) {
			net := queryBenchNet(b, c.nodes, c.records)
			ctx := context.Background()
			asker := net.Node(0)
			var kolo, bare []time.Duration
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				q, err := asker.Ask(ctx, "count judgment by country, year", federation.AskOptions{Wait: time.Minute})
				if err != nil {
					b.Fatal(err)
				}
				st, err := asker.Federation().Wait(ctx, q.ID)
				if err != nil {
					b.Fatal(err)
				}
				if st.Answered() != c.nodes {
					b.Fatalf("%d of %d nodes answered", st.Answered(), c.nodes)
				}
				kolo = append(kolo, time.Since(start))
				b.StopTimer()
				bare = append(bare, fanOut(b, net))
				b.StartTimer()
			}
			b.StopTimer()
			p := func(ds []time.Duration, q float64) float64 {
				slices.Sort(ds)
				return float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(p(kolo, 0.5), "p50-ms")
			b.ReportMetric(p(kolo, 0.95), "p95-ms")
			b.ReportMetric(p(bare, 0.5), "bare-p50-ms")
			b.ReportMetric(p(bare, 0.95), "bare-p95-ms")
		})
	}
}

// fanOut times one round of the bare fan-out from node 0.
func fanOut(b *testing.B, net *Net) time.Duration {
	return fanOuts(b, net, 0, 1)
}

// echo is one stream of the bare fan-out: one byte to p and one back, no
// work.
func echo(ctx context.Context, b *testing.B, h host.Host, p peer.ID) {
	s, err := h.NewStream(ctx, p, echoID)
	if err != nil {
		b.Error(err)
		return
	}
	defer s.Close()
	buf := []byte{1}
	if _, err := s.Write(buf); err != nil {
		b.Error(err)
		return
	}
	if _, err := io.ReadFull(s, buf); err != nil {
		b.Error(err)
	}
}

// queryBenchNet starts nodes nodes with forms, each with records
// judgments, forms the network and registers the echo protocol.
func queryBenchNet(b *testing.B, nodes, records int) *Net {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "kolo-bench-")
	if err != nil {
		b.Fatal(err)
	}
	// Every node a partner of one of the four countries with built-in
	// forms, so that every node holds records.
	net, err := Start(ctx, Options{N: nodes, Dir: dir, Node: node.Options{}, Countries: Countries[:4],
		Configure: func(i int, c *config.Config) {
			c.Query.MaxPerDay = 1_000_000
		}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		net.Close(ctx)
		os.RemoveAll(dir)
	})
	if err := net.Form(ctx); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, nodes)
	sem := make(chan struct{}, 4)
	for i := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			n, err := SeedBulk(ctx, net.Node(i), sdk.KindJudgment, records, uint64(i+1))
			if err == nil && n != records {
				err = fmt.Errorf("node %d (%s) holds %d judgments, want %d", i, net.Node(i).Config().Node.Country, n, records)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	for i := range nodes {
		net.Node(i).Host().SetStreamHandler(echoID, func(s network.Stream) {
			buf := []byte{0}
			if _, err := io.ReadFull(s, buf); err == nil {
				s.Write(buf)
			}
			s.Close()
		})
	}
	return net
}
