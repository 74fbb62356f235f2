// Package uitest drives the web interface in headless Chromium for tests
// (Debian's chromium package, driven with chromedp), the way
// net/http/httptest serves handlers: only tests import it.
//
// A Browser fails its test, when the test ends, on any console error or
// warning, any uncaught exception, and any request to anywhere but
// 127.0.0.1: the interface must work on a machine without internet.
//
//	b := uitest.Open(t)
//	b.Login(link) // a one-time link from node.UILoginLink
//	b.Do(chromedp.Navigate(b.URL("/ui/records")), chromedp.WaitVisible(chromedp.CSS("table")))
//
// It takes a TB rather than *testing.T, so that it does not link package
// testing into anything (the repository's import test forbids that outside
// tests); *testing.T and *testing.B satisfy it.
package uitest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TB is the part of testing.TB a Browser uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
	Cleanup(func())
	TempDir() string
}

// Chromium returns the path of Debian's chromium, failing t when it is
// missing (.ci/run installs it; apt-get install chromium).
func Chromium(t TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("chromium is needed (Debian: apt-get install chromium; .ci/run installs it)")
	return ""
}

// Browser is one headless Chromium with one tab.
type Browser struct {
	t    TB
	Ctx  context.Context // the tab's chromedp context
	base string          // the server's origin, once Login was called

	mu       sync.Mutex
	problems []string
	requests []string
	bytes    map[network.RequestID]int64 // encoded bytes per finished request
}

// Options change how Open starts the browser.
type Options struct {
	Width, Height int // window size; 0 is 1280×900
}

// Open starts headless Chromium for t; it stops, and its problems fail t,
// when t ends.
func Open(t TB, opts ...Options) *Browser {
	t.Helper()
	o := Options{Width: 1280, Height: 900}
	if len(opts) > 0 && opts[0].Width > 0 {
		o = opts[0]
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(Chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.WindowSize(o.Width, o.Height), chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := chromedp.NewContext(alloc)
	b := &Browser{t: t, Ctx: ctx, bytes: map[network.RequestID]int64{}}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		b.check()
	})
	err := chromedp.Listen(ctx, b.event)
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return b
}

// event notes console problems and every request.
func (b *Browser) event(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value))
			}
			b.problems = append(b.problems, fmt.Sprintf("console %s: %s", e.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		b.problems = append(b.problems, "exception: "+e.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
			b.problems = append(b.problems, fmt.Sprintf("log %s: %s %s", e.Entry.Level, e.Entry.Text, e.Entry.URL))
		}
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.URL)
	case *network.EventLoadingFinished:
		b.bytes[e.RequestID] = int64(e.EncodedDataLength)
	}
}

// check fails the test on every problem and every request off 127.0.0.1.
func (b *Browser) check() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("chromium: %s", p)
	}
	for _, r := range b.requests {
		if !Local(r) {
			b.t.Errorf("chromium: the page requested %s; it must fetch nothing but from 127.0.0.1", r)
		}
	}
}

// Local reports whether a request's URL stays on this machine: http(s) to
// 127.0.0.1, or a data: or about: URL.
func Local(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "about":
		return true
	case "http", "https":
		return u.Hostname() == "127.0.0.1"
	}
	return false
}

// Requests returns every URL requested so far.
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...)
}

// Problems returns the console problems noted so far.
func (b *Browser) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// Do runs actions in the tab, failing the test on an error. Each call is
// bounded by a minute.
func (b *Browser) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := b.Try(actions...); err != nil {
		b.t.Fatalf("chromium: %v", err)
	}
}

// Try runs actions in the tab and returns their error.
func (b *Browser) Try(actions ...chromedp.Action[chromedp.Void]) error {
	if err := chromedp.Do(b.Ctx); err != nil { // the first run starts the browser: no timeout on it
		return err
	}
	ctx, cancel := context.WithTimeout(b.Ctx, time.Minute)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// Eval evaluates a JavaScript expression in the page.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("chromium: evaluate %s: %v", expr, err)
	}
	return v
}

// Login opens a one-time login link and waits for the home page it leads
// to. Later URL calls are relative to its origin.
func (b *Browser) Login(link string) {
	b.t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		b.t.Fatalf("login link %q: %v", link, err)
	}
	b.base = u.Scheme + "://" + u.Host
	b.Do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`nav a[href="/ui/records"]`)))
	loc := b.Location()
	if loc != b.base+"/ui/" {
		b.t.Fatalf("after the login link the browser is at %s, want %s/ui/ (the token must leave the address bar)", loc, b.base)
	}
}

// URL is path on the server Login logged into.
func (b *Browser) URL(path string) string { return b.base + path }

// Location is the tab's address.
func (b *Browser) Location() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, time.Minute)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("chromium: %v", err)
	}
	return loc
}

// Text returns the text of the first element sel matches.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, time.Minute)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("chromium: text of %s: %v", sel, err)
	}
	return s
}

// Screenshot writes a PNG of the page's viewport to path (a docs/ui-*.png
// when a test runs with -update-screenshot).
func (b *Browser) Screenshot(path string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, time.Minute)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("chromium: screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
}

// FirstContentfulPaint is the page's first-contentful-paint time in
// milliseconds after navigation started (Paint Timing API), once the page
// has painted.
func (b *Browser) FirstContentfulPaint() float64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[float64](
		`(() => { const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : 0; })()`,
		chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		b.t.Fatalf("chromium: first-contentful-paint: %v", err)
	}
	return v
}

// Transferred is the bytes transferred (encoded, headers included) by the
// requests finished since the last ResetTransferred.
func (b *Browser) Transferred() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	var n int64
	for _, v := range b.bytes {
		n += v
	}
	return n
}

// ResetTransferred starts counting Transferred anew.
func (b *Browser) ResetTransferred() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bytes = map[network.RequestID]int64{}
}

// DisableCache makes every later load fetch every resource again, as a
// first visit does (for page weights and first paints).
func (b *Browser) DisableCache() {
	b.t.Helper()
	if _, err := chromedp.Call(b.Ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		b.t.Fatalf("chromium: disable cache: %v", err)
	}
}
