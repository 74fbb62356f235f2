package query

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"github.com/kolo-net/kolo/node/store"
)

// benchRecords is how many judgments the evaluation benchmarks read.
const benchRecords = 50_000

// benchBook is a node with benchRecords judgments of the four countries,
// imported through the real plugin process into an encrypted store.
func benchBook(b *testing.B) *testNode {
	b.Helper()
	n := newNode(b)
	rng := mrand.New(mrand.NewPCG(21, 22))
	for _, cc := range []string{"rs", "hr", "ba", "mk"} {
		n.importAll(b, cc+".judgment", synthJudgments(b, cc, benchRecords/4, rng))
	}
	return n
}

// BenchmarkEvaluate reads and evaluates every judgment's indicators from
// the encrypted store (records/s), beside a bare Badger iteration over the
// same number of values of the same sizes in an unencrypted badger.DB
// opened directly (values/s). docs/BENCHMARKS.md has the figures.
func BenchmarkEvaluate(b *testing.B) {
	n := benchBook(b)
	n.reopen(b) // Close writes the memtables to encrypted tables on disk: read those, as after a restart
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

	// The store's part alone: every indicator value of the encrypted
	// store read in place, nothing decoded.
	b.Run("encrypted/scan-only", func(b *testing.B) {
		for b.Loop() {
			total := 0
			err := n.st.View(func(tx *store.Tx) error {
				return tx.ScanInPlace(ctx, "record-indicators", nil, func(k, v []byte) error { total += len(v); return nil })
			})
			if err != nil || total != size {
				b.Fatal(total, err)
			}
		}
		b.ReportMetric(float64(b.N*benchRecords)/b.Elapsed().Seconds(), "values/s")
	})
	for _, text := range []string{
		"count judgment",
		"count judgment by country, year where verdict = convicted",
		"mean(sentence_months) judgment by court_level where offence in (thb, thb_child)",
		"median(proceedings_days) judgment by country",
	} {
		q := mustParse(b, text)
		b.Run("encrypted/"+text, func(b *testing.B) {
			for b.Loop() {
				res, err := Evaluate(ctx, q, n.book, EvalOptions{})
				if err != nil || res.InRange != benchRecords {
					b.Fatal(res, err)
				}
			}
			b.ReportMetric(float64(b.N*benchRecords)/b.Elapsed().Seconds(), "records/s")
		})
	}

	bare := func(name string, vals [][]byte) {
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
		// Close and open again, so that the values are read from tables
		// on disk, as in the encrypted store.
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		if db, err = badger.Open(badger.DefaultOptions(dir).WithLogger(nil)); err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		for _, prefetch := range []bool{false, true} {
			b.Run(fmt.Sprintf("bare-badger/%s/prefetch=%v", name, prefetch), func(b *testing.B) {
				bareScan(b, db, prefetch, len(keys))
			})
		}
	}
	bare("same-values", vals)
	v300 := make([][]byte, len(keys))
	for i := range v300 {
		v300[i] = []byte(fmt.Sprintf("%0300d", i))
	}
	bare("300-byte-values", v300)
}

// bareScan iterates over every value of db, reading each in place.
func bareScan(b *testing.B, db *badger.DB, prefetch bool, want int) {
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = prefetch
	for b.Loop() {
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
	}
	b.ReportMetric(float64(b.N*want)/b.Elapsed().Seconds(), "values/s")
}
