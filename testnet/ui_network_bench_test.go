package testnet

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/ui/uitest"
)

// BenchmarkUINetworkPages loads each main page of the web interface's
// network and analysis areas in headless Chromium with its cache off
// (every load a first visit), on the founder of a two-member network
// whose members both endorse the Declaration and hold 60 synthetic
// records each, and reports the bytes each load transferred, every
// resource included (page-bytes). The query page holds the answer to
// count judgment by country, verdict: a table and its chart; the report
// page is the regional report as the interface serves it (one HTML file,
// its charts inline). A request off 127.0.0.1 fails it.
//
//	go test -run '^$' -bench BenchmarkUINetworkPages -benchtime 10x -count 3 ./testnet/
func BenchmarkUINetworkPages(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	net, err := Start(ctx, Options{N: 2, Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { net.Close(context.Background()) })
	if err := net.Form(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := net.Seed(ctx, 60); err != nil {
		b.Fatal(err)
	}
	if err := net.EndorseAll(ctx); err != nil {
		b.Fatal(err)
	}
	n := net.Node(0)
	q, err := n.Ask(ctx, "count judgment by country, verdict", federation.AskOptions{Wait: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	if st, err := n.QueryStatus(ctx, q.ID, time.Minute); err != nil || st.Answered() != 2 {
		b.Fatalf("the query: %d of 2 members answered (%v)", st.Answered(), err)
	}
	rep, err := n.StartReport("", federation.MinWait)
	if err != nil {
		b.Fatal(err)
	}
	for {
		st, err := n.ReportJob(ctx, rep, time.Minute)
		if err != nil || st.Error != "" {
			b.Fatalf("the report: %v %s", err, st.Error)
		}
		if st.Done {
			break
		}
	}
	br := uitest.Open(b)
	l, err := n.UILoginLink(false)
	if err != nil {
		b.Fatal(err)
	}
	br.Login(l.URL)
	if _, err := chromedp.Call(br.Ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		b.Fatal(err)
	}
	for _, p := range []struct{ name, path, ready string }{
		{"members", "/ui/network", "table.members"},
		{"declaration", "/ui/network/declaration", "article.declaration"},
		{"invites", "/ui/network/invites", "form.invite"},
		{"builder", "/ui/analysis?kind=judgment&agg=count&by=country&by=verdict&step=show", "#q-text"},
		{"query", "/ui/analysis/queries/" + q.ID, "#answer-chart"},
		{"queries", "/ui/analysis/queries", "table.queries"},
		{"report", "/ui/analysis/report/" + rep + "/view", "svg.chart"},
	} {
		b.Run(p.name, func(b *testing.B) {
			var bytes int64
			loads := 0
			for b.Loop() {
				br.ResetTransferred()
				br.Do(chromedp.Navigate(br.URL(p.path)), chromedp.WaitVisible(chromedp.CSS(p.ready)))
				// Every resource loaded: the load event has fired.
				if _, err := chromedp.Run(br.Ctx, chromedp.Poll[bool](`document.readyState === "complete"`)); err != nil {
					b.Fatal(err)
				}
				bytes += br.Transferred()
				loads++
			}
			b.ReportMetric(float64(bytes)/float64(loads), "page-bytes")
		})
	}
	for _, r := range br.Requests() {
		if !uitest.Local(r) {
			b.Fatalf("a page requested %s, off 127.0.0.1", r)
		}
	}
}
