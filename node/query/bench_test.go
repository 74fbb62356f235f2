package query

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/kolo-net/kolo/node/store"
)

// benchRecords is how many judgments the evaluation benchmarks read.
const benchRecords = 50_000

// benchBook is a node with benchRecords judgments of the four countries,
// imported through the real plugin process into an encrypted store, then
// closed and opened again so that they are read from the encrypted tables
// on disk, as after a restart.
func benchBook(b *testing.B) *testNode {
	b.Helper()
	n := newNode(b)
	rng := mrand.New(mrand.NewPCG(21, 22))
	for _, cc := range []string{"rs", "hr", "ba", "mk"} {
		n.importAll(b, cc+".judgment", synthJudgments(b, cc, benchRecords/4, rng))
	}
	n.reopen(b)
	return n
}

// bareDB is an unencrypted badger.DB opened directly, with Badger's
// default options, holding the given keys and values, closed and opened
// again so that they too are read from tables on disk.
func bareDB(b *testing.B, keys, vals [][]byte) *badger.DB {
	b.Helper()
	dir := b.TempDir()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		b.Fatal(err)
	}
	wb := db.NewWriteBatch()
	for i, k := range keys {
		if err := wb.Set(append([]byte("record-indicators\x00"), k...), vals[i]); err != nil {
			b.Fatal(err)
		}
	}
	if err := wb.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	if db, err = badger.Open(badger.DefaultOptions(dir).WithLogger(nil)); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// bareScan iterates over every value of db, reading each in place, and
// returns how long it took.
func bareScan(b *testing.B, db *badger.DB, prefetch bool, want int) time.Duration {
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = prefetch
	start := time.Now()
	total, n := 0, 0
	err := db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
			if err := it.Item().Value(func(v []byte) error { total += len(v); return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || n != want || total == 0 {
		b.Fatal(n, err)
	}
	return time.Since(start)
}

// BenchmarkEvaluate: every judgment's indicators read and evaluated from
// the encrypted store, against a bare Badger iteration over the same
// number of values of the same sizes in an unencrypted badger.DB opened
// directly. Each iteration times the three one after the other, so that
// the shared machine's load weighs on both alike; the ratios are the
// figures (docs/BENCHMARKS.md):
//
//	x-bare           evaluation time / bare iteration time, Badger's iterator without value prefetching
//	x-bare-prefetch  the same against Badger's default iterator (prefetching values)
func BenchmarkEvaluate(b *testing.B) {
	n := benchBook(b)
	ctx := context.Background()
	var keys, vals [][]byte
	if err := n.st.Scan(ctx, "record-indicators", nil, func(k, v []byte) error {
		keys, vals = append(keys, k), append(vals, v)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if len(keys) != benchRecords {
		b.Fatalf("%d indicator entries, want %d", len(keys), benchRecords)
	}
	size := 0
	for _, v := range vals {
		size += len(v)
	}
	b.Logf("%d indicator values, %d bytes on average", len(vals), size/len(vals))
	db := bareDB(b, keys, vals)

	run := func(b *testing.B, eval func() time.Duration) {
		var ours, bare, barePF time.Duration
		for b.Loop() {
			ours += eval()
			bare += bareScan(b, db, false, len(keys))
			barePF += bareScan(b, db, true, len(keys))
		}
		rate := func(d time.Duration) float64 { return float64(b.N*benchRecords) / d.Seconds() }
		b.ReportMetric(rate(ours), "records/s")
		b.ReportMetric(rate(bare), "bare-values/s")
		b.ReportMetric(float64(ours)/float64(bare), "x-bare")
		b.ReportMetric(float64(ours)/float64(barePF), "x-bare-prefetch")
	}
	// The store's part alone: every indicator value read in place from
	// the encrypted store, nothing decoded.
	b.Run("scan-only", func(b *testing.B) {
		run(b, func() time.Duration {
			start := time.Now()
			total := 0
			err := n.st.View(func(tx *store.Tx) error {
				return tx.ScanInPlace(ctx, "record-indicators", nil, func(k, v []byte) error { total += len(v); return nil })
			})
			if err != nil || total != size {
				b.Fatal(total, err)
			}
			return time.Since(start)
		})
	})
	for _, text := range []string{
		"count judgment",
		"count judgment by country, year where verdict = convicted",
		"mean(sentence_months) judgment by court_level where offence in (thb, thb_child)",
		"median(proceedings_days) judgment by country",
	} {
		q := mustParse(b, text)
		b.Run(text, func(b *testing.B) {
			run(b, func() time.Duration {
				start := time.Now()
				res, err := Evaluate(ctx, q, n.book, EvalOptions{})
				if err != nil || res.InRange != benchRecords {
					b.Fatal(res, err)
				}
				return time.Since(start)
			})
		})
	}
}

// BenchmarkBare300 is the reference: a bare Badger iteration, with
// Badger's default iterator, over values of 300 bytes.
func BenchmarkBare300(b *testing.B) {
	keys := make([][]byte, benchRecords)
	vals := make([][]byte, benchRecords)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "judgment/2020-01-01/%026d", i)
		vals[i] = fmt.Appendf(nil, "%0300d", i)
	}
	db := bareDB(b, keys, vals)
	var d time.Duration
	for b.Loop() {
		d += bareScan(b, db, true, benchRecords)
	}
	b.ReportMetric(float64(b.N*benchRecords)/d.Seconds(), "values/s")
}
