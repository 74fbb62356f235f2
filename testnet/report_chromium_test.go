package testnet

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/kolo-net/kolo/node/report"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "write the report's first page, as Chromium shows it, to docs/report.png (the README's picture)")

// chartMarks is what the page says of one chart.
type chartMarks struct {
	ID    string `json:"id"`
	Marks int    `json:"marks"` // elements with data-state: one per cell
	Bars  int    `json:"bars"`  // bars of a figure above 0
	Drawn int    `json:"drawn"` // of those, drawn wider than nothing
}

// checkInChromium opens the report's HTML file in headless Chromium
// (Debian's chromium package, driven with chromedp): no console error,
// no exception, no request but the file itself; each chart has a mark for
// every cell of its figure, and every bar of a figure above 0 is drawn;
// printed, it makes a PDF of several A4 pages. It writes a screenshot of
// the first page to shot.
func checkInChromium(t *testing.T, file string, rep *report.Report, shot string) {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is needed (Debian: apt-get install chromium; .ci/run installs it): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun, chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 1000), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	var mu sync.Mutex
	var problems, requests []string
	err = chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value))
				}
				problems = append(problems, fmt.Sprintf("console %s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("log %s: %s %s", e.Entry.Level, e.Entry.Text, e.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	url := "file://" + file
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if _, err := chromedp.Call(bctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("chromium: open %s: %v", url, err)
	}
	charts, err := chromedp.Run(bctx, chromedp.Evaluate[[]chartMarks](`Array.from(document.querySelectorAll('svg.chart')).map(s => {
		const bars = Array.from(s.querySelectorAll('rect[data-state="value"]')).filter(r => parseFloat(r.dataset.value) > 0);
		return {id: s.id, marks: s.querySelectorAll('[data-state]').length, bars: bars.length,
			drawn: bars.filter(r => r.getBBox().width > 0 && r.getBoundingClientRect().width > 0).length};
	})`))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("chromium: screenshot: %v", err)
	}
	printed, err := chromedp.Call(bctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
	if err != nil {
		t.Fatalf("chromium: print: %v", err)
	}
	pdf := printed.Data
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("chromium: %s", p)
	}
	for _, r := range requests {
		if r != url {
			t.Errorf("chromium: the report requested %s; it must fetch nothing", r)
		}
	}
	want := map[string]int{}
	for _, s := range rep.Sections {
		for _, f := range s.Figures {
			want["chart-"+strings.ReplaceAll(f.ID, ".", "-")] = len(f.Rows) * len(rep.Countries)
		}
	}
	if len(charts) != len(want) {
		t.Errorf("chromium: %d charts on the page; the report has %d figures", len(charts), len(want))
	}
	bars := 0
	for _, c := range charts {
		if c.Marks != want[c.ID] || c.Marks == 0 {
			t.Errorf("chromium: chart %s has %d marks; its figure has %d cells", c.ID, c.Marks, want[c.ID])
		}
		if c.Drawn != c.Bars {
			t.Errorf("chromium: chart %s draws %d of its %d bars above 0", c.ID, c.Drawn, c.Bars)
		}
		bars += c.Bars
	}
	if bars == 0 {
		t.Error("chromium: no bar drawn at all")
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 20_000 {
		t.Errorf("chromium: the screenshot is %d bytes, not a picture of a page", len(png))
	}
	if pages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page ")) + bytes.Count(pdf, []byte("/Type/Page\n")); !bytes.HasPrefix(pdf, []byte("%PDF")) || pages < len(rep.Sections) {
		t.Errorf("chromium: printed, the report is %d bytes and %d pages; want a PDF with a page break before each of the %d sections", len(pdf), pages, len(rep.Sections))
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

var yes = true

// screenshotPath is where the test writes the first page's picture:
// docs/report.png with -update-screenshot, else a temporary file.
func screenshotPath(t *testing.T) string {
	if *updateScreenshot {
		return filepath.Join("..", "docs", "report.png")
	}
	return filepath.Join(t.TempDir(), "report.png")
}
