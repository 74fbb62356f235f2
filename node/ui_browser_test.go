package node_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kolo-net/kolo/node/ui/uitest"
)

// TestUIBrowserLoginAndLanguage: in headless Chromium, a one-time link
// logs in and leaves the address bar; the language switcher turns the
// interface into Serbian Cyrillic and keeps it on the next page; logging
// out says how to log in again. No console error, nothing fetched off 127.0.0.1.
func TestUIBrowserLoginAndLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	n := startUINode(t, nil)
	b := uitest.Open(t)
	b.Login(loginLink(t, n))
	if got := b.Text(`nav a[href="/ui/records"]`); got != "Records" {
		t.Errorf("nav in English: %q", got)
	}
	b.Do(chromedp.SetValue(chromedp.CSS("#lang-select"), "sr-Cyrl"),
		chromedp.Click(chromedp.CSS("form.lang button")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="sr-Cyrl"]`)))
	if got := b.Text(`nav a[href="/ui/records"]`); got != "Записи" {
		t.Errorf("nav in Serbian Cyrillic: %q", got)
	}
	b.Do(chromedp.Navigate(b.URL("/ui/network")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if got := b.Text("main h1"); got != "Мрежа" {
		t.Errorf("the next page is not in Serbian Cyrillic: %q", got)
	}
	b.Do(chromedp.Click(chromedp.CSS("form.logout button")), chromedp.WaitNotPresent(chromedp.CSS("form.logout")))
	if got := b.Text("p.message"); !strings.Contains(got, "kolo ui") {
		t.Errorf("after logout the page says %q, want how to log in again", got)
	}
	for _, r := range b.Requests() {
		if !strings.HasPrefix(r, b.URL("/")) && !strings.HasPrefix(r, "data:") {
			t.Errorf("request %s", r)
		}
	}
}
