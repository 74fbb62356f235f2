package records

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// BenchmarkImport imports a CSV file of Serbian judgments (rs.judgment@2,
// about 400 bytes a row) through the real plugin process (gRPC) into an
// encrypted Badger store: parse, check, encode, batch write, commit.
func BenchmarkImport(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		data := judgmentsCSV(b, n)
		b.Run(fmt.Sprintf("rows-%d", n), func(b *testing.B) {
			ctx := context.Background()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				b.StopTimer()
				tb := newBook(b)
				b.StartTimer()
				res, err := tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatCSV})
				if err != nil || res.Records != n {
					b.Fatal(res, err)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkCheck is the cost of the plugin calls alone: one record per
// call (as kolo record add makes), and a chunk of an import.
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	h := plugins(b)
	a := answers(b, "rs", "judgment.v2.json")
	for _, n := range []int{1, chunkRows} {
		batch := make([]sdk.Answers, n)
		for i := range batch {
			batch[i] = a
		}
		b.Run(fmt.Sprintf("records-%d", n), func(b *testing.B) {
			for b.Loop() {
				res, err := h.Check(ctx, "rs.judgment", 2, batch)
				if err != nil || len(res) != n || !res[0].Valid() {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/call")
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkAdd is one record entered by hand: check through the plugin,
// one transaction, fsync.
func BenchmarkAdd(b *testing.B) {
	ctx := context.Background()
	tb := newBook(b)
	a := answers(b, "rs", "judgment.v2.json")
	for b.Loop() {
		if _, err := tb.Add(ctx, "rs.judgment", a); err != nil {
			b.Fatal(err)
		}
	}
}
