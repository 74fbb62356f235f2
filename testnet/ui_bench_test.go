package testnet

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/node/ui/uitest"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// uiBenchRecords is how many records the web interface's benchmark holds.
const uiBenchRecords = 10_000

// BenchmarkUIPages loads each main page of the web interface, in headless
// Chromium with its cache off (every load a first visit), on a Serbian
// node holding 10,000 judgments, and reports its first-contentful-paint
// (fcp-ms, Paint Timing API) and the bytes it transferred, every resource
// included (page-bytes). A request off 127.0.0.1 fails it.
//
//	go test -run '^$' -bench BenchmarkUIPages -benchtime 20x -count 5 ./testnet/
func BenchmarkUIPages(b *testing.B) {
	ctx := context.Background()
	n := startUINet(b, 0)
	if _, err := SeedBulk(ctx, n, sdk.KindJudgment, uiBenchRecords, 7); err != nil {
		b.Fatal(err)
	}
	list, err := n.Records().List(ctx, records.Filter{})
	if err != nil || len(list) != uiBenchRecords {
		b.Fatalf("the node holds %d records (%v), want %d", len(list), err, uiBenchRecords)
	}
	br := uiLogin(b, n)
	br.DisableCache()
	for _, p := range []struct{ name, path, ready string }{
		{"records-list", "/ui/records", "table.records"},
		{"record-form", "/ui/records/new?form=rs.judgment", "form.record-form"},
		{"record", "/ui/records/" + list[len(list)/2].ID, "dl.answers"},
		{"import", "/ui/records/import", "form.import-form"},
		{"node-status", "/ui/node", "dl.status"},
		{"home", "/ui/", "ul.areas"},
	} {
		b.Run(p.name, func(b *testing.B) { benchPage(b, br, p.path, p.ready) })
	}
}

// benchPage loads path in br (b.Loop) and reports its mean first
// contentful paint and bytes transferred.
func benchPage(b *testing.B, br *uitest.Browser, path, ready string) {
	var fcp float64
	var bytes int64
	loads := 0
	for b.Loop() {
		br.ResetTransferred()
		br.Do(chromedp.Navigate(br.URL(path)), chromedp.WaitVisible(chromedp.CSS(ready)))
		fcp += br.FirstContentfulPaint()
		bytes += br.Transferred()
		loads++
	}
	b.ReportMetric(fcp/float64(loads), "fcp-ms")
	b.ReportMetric(float64(bytes)/float64(loads), "page-bytes")
	for _, r := range br.Requests() {
		if !uitest.Local(r) {
			b.Fatalf("the page requested %s, off 127.0.0.1", r)
		}
	}
}
