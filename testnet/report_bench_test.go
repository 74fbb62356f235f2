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
	"github.com/kolo-net/kolo/node/report"
	"github.com/libp2p/go-libp2p/core/network"
)

// BenchmarkRegionalReport measures the whole regional report made from
// the analyst's node, on loopback: its 37 queries asked (parsed, signed,
// published), every member evaluating, protecting, sealing, signing and
// delivering each, the analyst verifying, opening and combining every
// answer, and the report built. Beside it, in the same run, the bare
// fan-out of its queries: for each of the 37 queries, at once, a stream
// from the analyst to every other node carrying one byte each way and
// doing no work (as BenchmarkFederatedQuery measures one). Partners take
// RS, HR, BA and MK in turn and hold realistic records (100 judgments
// each, and the other kinds in proportion).
//
//	go test ./testnet -run '^$' -bench RegionalReport -benchtime 5x -count 3 -timeout 60m
func BenchmarkRegionalReport(b *testing.B) {
	for _, partners := range []int{4, 50} {
		b.Run(fmt.Sprintf("partners=%d", partners), func(b *testing.B) {
			ctx := context.Background()
			dir, err := os.MkdirTemp("", "kolo-bench-report-")
			if err != nil {
				b.Fatal(err)
			}
			r, err := StartRegional(ctx, RegionalOptions{Dir: dir, Partners: partners, Records: RealisticOptions{Seed: 1},
				Configure: func(_ int, c *config.Config) { c.Query.MaxPerDay = 1_000_000 }})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				r.Close(ctx)
				os.RemoveAll(dir)
			})
			if err := r.WaitMesh(ctx); err != nil {
				b.Fatal(err)
			}
			for i := range r.Len() {
				r.Node(i).Host().SetStreamHandler(echoID, func(s network.Stream) {
					buf := []byte{0}
					if _, err := io.ReadFull(s, buf); err == nil {
						s.Write(buf)
					}
					s.Close()
				})
			}
			analyst := r.Node(r.Analyst)
			queries := len(report.Catalogue())
			var made, bare []time.Duration
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				rep, err := analyst.Report(ctx, report.Options{Wait: 2 * time.Minute})
				if err != nil {
					b.Fatal(err)
				}
				made = append(made, time.Since(start))
				b.StopTimer()
				for _, q := range rep.Queries {
					if q.Coverage.Answered+q.Coverage.Refused != partners+1 {
						b.Fatalf("query %d: %d of %d members answered", q.Number, q.Coverage.Answered+q.Coverage.Refused, partners+1)
					}
				}
				bare = append(bare, fanOuts(b, r.Net, r.Analyst, queries))
				b.StartTimer()
			}
			b.StopTimer()
			med := func(ds []time.Duration) float64 {
				slices.Sort(ds)
				return float64(ds[len(ds)/2].Microseconds()) / 1000
			}
			b.ReportMetric(med(made), "report-ms")
			b.ReportMetric(med(bare), "bare-fanout-ms")
		})
	}
}

// fanOuts times n rounds of the bare fan-out from node from, all at once.
func fanOuts(b *testing.B, net *Net, from, n int) time.Duration {
	ctx := context.Background()
	h := net.Node(from).Host()
	start := time.Now()
	var wg sync.WaitGroup
	for range n {
		for i := range net.Len() {
			if i == from {
				continue
			}
			wg.Go(func() { echo(ctx, b, h, net.Node(i).PeerID()) })
		}
	}
	wg.Wait()
	return time.Since(start)
}
