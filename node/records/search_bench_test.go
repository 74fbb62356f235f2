package records

import (
	"bytes"
	"context"
	"testing"
)

// BenchmarkListAndSearch lists and searches 10,000 judgments, as the web
// interface's list page does: List reads the index only; Search reads
// each record and looks at its public answers.
func BenchmarkListAndSearch(b *testing.B) {
	const n = 10_000
	ctx := context.Background()
	cols, rows := benchRows(b, n)
	tb := newBook(b)
	if _, err := tb.Import(ctx, bytes.NewReader([]byte(csvOf(cols, ",", rows...))), ImportOptions{Form: "rs.judgment", Format: FormatCSV}); err != nil {
		b.Fatal(err)
	}
	b.Run("list", func(b *testing.B) {
		for b.Loop() {
			if l, err := tb.List(ctx, Filter{}); err != nil || len(l) != n {
				b.Fatal(len(l), err)
			}
		}
	})
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			if _, err := tb.Search(ctx, Filter{}, "beogradu"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
