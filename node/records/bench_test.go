package records

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// benchNotes makes a benchmark row the documented size: about 400 bytes
// of CSV for a Serbian judgment, a short note included.
const benchNotes = "Žrtva je saslušana putem video-linka, bez prisustva okrivljenog; punomoćnik je bio prisutan. " +
	"Sud je odbio predlog za oduzimanje imovine. Presuda je potvrđena u žalbenom postupku."

// benchRows is n valid Serbian judgments with a note, as answers.
func benchRows(t testing.TB, n int) ([]string, []sdk.Answers) {
	a := answers(t, "rs", "judgment.v2.json")
	a["notes"] = benchNotes
	rows := make([]sdk.Answers, n)
	for i := range rows {
		rows[i] = with(a, map[string]any{"case_number": fmt.Sprintf("K %d/2024", i), "victims": float64(1 + i%7)})
	}
	return keysOf(a), rows
}

// benchXLSX is the rows as an Excel workbook written by excelize.
func benchXLSX(b testing.TB, cols []string, rows []sdk.Answers) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = c
	}
	if err := sw.SetRow("A1", head); err != nil {
		b.Fatal(err)
	}
	for r, a := range rows {
		cells := make([]any, len(cols))
		for i, c := range cols {
			switch v := a[c].(type) {
			case []any:
				cells[i] = cell(v)
			default:
				cells[i] = v
			}
		}
		name, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(name, cells); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImport imports files of Serbian judgments (rs.judgment@2, about
// 400 bytes a CSV row) through the real plugin process (gRPC) into an
// encrypted Badger store: parse, check, encode, batch write, commit. The
// csv cases are CSV files; the xlsx case the same rows as a workbook.
func BenchmarkImport(b *testing.B) {
	for _, c := range []struct {
		format Format
		n      int
	}{{FormatCSV, 1000}, {FormatCSV, 10000}, {FormatCSV, 50000}, {FormatXLSX, 10000}, {FormatXLSX, 50000}} {
		cols, rows := benchRows(b, c.n)
		data := []byte(csvOf(cols, ",", rows...))
		if c.format == FormatXLSX {
			data = benchXLSX(b, cols, rows)
		}
		b.Run(fmt.Sprintf("%s-rows-%d", c.format, c.n), func(b *testing.B) {
			ctx := context.Background()
			b.SetBytes(int64(len(data)))
			var cpu cpuMeter
			for b.Loop() {
				b.StopTimer()
				tb := newBook(b)
				b.StartTimer()
				cpu.start(b)
				res, err := tb.Import(ctx, bytes.NewReader(data), ImportOptions{Form: "rs.judgment", Format: c.format})
				cpu.stop(b)
				if err != nil || res.Records != c.n {
					b.Fatal(res, err)
				}
			}
			b.ReportMetric(float64(b.N*c.n)/b.Elapsed().Seconds(), "records/s")
			cpu.report(b, b.N*c.n)
			b.ReportMetric(float64(len(data))/float64(c.n), "bytes/row")
		})
	}
}

// BenchmarkImportStages times the stages of an import of 10,000 CSV rows
// one at a time: parse (reading the file into answers, no plugin; and
// parse-xlsx, the same rows as a workbook), check
// (the plugin's calls, one chunk after the other, as a single checker
// would), and write (encoding the checked records, their index entries and
// indicator values, and writing them with the batch, the sync and the
// commit marker).
func BenchmarkImportStages(b *testing.B) {
	const n = 10000
	ctx := context.Background()
	cols, rows := benchRows(b, n)
	data := csvOf(cols, ",", rows...)
	fi := schemaForm(b)
	// parseStage times one parser reading the whole file into answers.
	parseStage := func(data []byte, parse func(*source, sdk.FormInfo, *chunker) error) func(*testing.B) {
		return func(b *testing.B) {
			var cpu cpuMeter
			cpu.start(b)
			for b.Loop() {
				in := &limitedReader{r: bytes.NewReader(data), left: MaxImportBytes, limit: MaxImportBytes}
				got := 0
				c := newChunkerFor(in, new(atomic.Int64), func(ch rowChunk) error { got += len(ch.answers); return nil })
				if err := parse(&source{in: in}, fi, c); err != nil || got != n {
					b.Fatal(got, err)
				}
			}
			cpu.stop(b)
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
			cpu.report(b, b.N*n)
		}
	}
	b.Run("parse", parseStage([]byte(data), parseCSV))
	b.Run("parse-xlsx", parseStage(benchXLSX(b, cols, rows), parseXLSX))
	h := plugins(b)
	b.Run("check", func(b *testing.B) {
		var cpu cpuMeter
		cpu.start(b)
		for b.Loop() {
			for i := 0; i < n; i += chunkRows {
				res, err := h.Check(ctx, "rs.judgment", 2, rows[i:min(i+chunkRows, n)])
				if err != nil || !res[0].Valid() {
					b.Fatal(err, res[0].Errors)
				}
			}
		}
		cpu.stop(b)
		b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
		cpu.report(b, b.N*n)
	})
	b.Run("write", func(b *testing.B) {
		common := sdk.Common{}
		res, err := h.Check(ctx, "rs.judgment", 2, rows[:1])
		if err == nil {
			common = res[0].Common
		}
		rfi, _ := h.Form("rs.judgment", 2)
		var cpu cpuMeter
		for b.Loop() {
			b.StopTimer()
			tb := newBook(b)
			b.StartTimer()
			cpu.start(b)
			now := tb.stamp()
			var p importPlan
			for _, a := range rows {
				s, err := stage(tb.newRecord(rfi, a, common, now, ""))
				if err != nil {
					b.Fatal(err)
				}
				p.recs = append(p.recs, s)
			}
			imp := newID()
			st := importState{State: statePending, Form: rfi.Ref(), Records: len(p.recs), Started: now}
			if err := tb.putImportState(imp, st); err != nil {
				b.Fatal(err)
			}
			if err := tb.writeStaged(ctx, imp, p.recs, func(Progress) {}); err != nil {
				b.Fatal(err)
			}
			if err := tb.writeImport(ctx, imp, st, nil, func(Progress) {}); err != nil {
				b.Fatal(err)
			}
			cpu.stop(b)
		}
		b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
		cpu.report(b, b.N*n)
	})
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
