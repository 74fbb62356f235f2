package testnet

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/node/ui/uitest"
)

// uiShot is where a test writes the picture of a page: docs/ui-<name>.png
// with -update-screenshot, else a temporary file.
func uiShot(t testing.TB, name string) string {
	if *updateScreenshot {
		return filepath.Join("..", "docs", "ui-"+name+".png")
	}
	return filepath.Join(t.TempDir(), "ui-"+name+".png")
}

// startUINet starts one Serbian node with its forms and realistic
// records, for the web interface's browser tests.
func startUINet(t testing.TB, judgments int) *node.Node {
	t.Helper()
	ctx := context.Background()
	net, err := Start(ctx, Options{N: 1, Dir: t.TempDir(), Countries: []string{"RS"}, Node: node.Options{BuiltInForms: []string{"rs"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := net.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	n := net.Node(0)
	if judgments > 0 {
		if _, err := SeedRealistic(ctx, n, RealisticOptions{Judgments: judgments, Seed: 12}); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

// uiLogin opens Chromium and logs it into n with a one-time link.
func uiLogin(t testing.TB, n *node.Node) *uitest.Browser {
	t.Helper()
	link, err := n.UILoginLink(false)
	if err != nil {
		t.Fatal(err)
	}
	b := uitest.Open(t)
	b.Login(link.URL)
	return b
}

// countRecords is how many records the node's book lists.
func countRecords(t testing.TB, n *node.Node, f records.Filter) int {
	t.Helper()
	l, err := n.Records().List(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return len(l)
}

// waitFor evaluates a JavaScript condition until it is true, across the
// page's reloads (an import's page reloads itself while it runs).
func waitFor(t *testing.T, b *uitest.Browser, cond string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond) // polling a page that reloads itself; the deadline bounds it
	}
	t.Fatalf("chromium: %s did not become true within a minute", cond)
}

// TestUIRecordsInChromium: a monitor logs in with the one-time link,
// switches to Serbian Cyrillic, enters a judgment on rs.judgment, sees the
// plugin's problem beside the field it concerns (and only there), fixes it
// and saves; the record's page shows it in Cyrillic with its history; a
// search over public answers finds it, and its personal answers appear in
// no URL; a CSV with a bad row shows the row's problem in a table and
// stores nothing, a good one stores every row; a delete asks first. No
// console error, no request off 127.0.0.1 (uitest checks both).
func TestUIRecordsInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node and Chromium")
	}
	n := startUINet(t, 30)
	before := countRecords(t, n, records.Filter{})
	b := uiLogin(t, n)

	b.Do(chromedp.SetValue(chromedp.CSS("#lang-select"), "sr-Cyrl"), chromedp.Click(chromedp.CSS("form.lang button")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="sr-Cyrl"]`)))

	// The list, in Cyrillic.
	b.Do(chromedp.Navigate(b.URL("/ui/records")), chromedp.WaitVisible(chromedp.CSS("table.records")))
	if got := b.Text("#count"); !strings.Contains(got, "Записи 1–") {
		t.Errorf("the list's count in sr-Cyrl: %q", got)
	}
	b.Screenshot(uiShot(t, "records"))

	// A new judgment, with a decision before the indictment.
	const caseNumber, court = "К 77/2024", "Виши суд у Нишу"
	b.Do(chromedp.Navigate(b.URL("/ui/records/new?form=rs.judgment")), chromedp.WaitVisible(chromedp.CSS("form.record-form")))
	if got := b.Text(`label[for="f-court"]`); !strings.HasPrefix(got, "Суд") {
		t.Errorf("court's label in sr-Cyrl: %q", got)
	}
	b.Do(
		chromedp.SetValue(chromedp.CSS("#f-case_number"), caseNumber),
		chromedp.SetValue(chromedp.CSS("#f-court"), court),
		chromedp.Click(chromedp.CSS("#f-court_level-first_instance")),
		chromedp.SetValue(chromedp.CSS("#f-article"), "art_388"),
		chromedp.SetValue(chromedp.CSS("#f-indictment_date"), "2024-05-02"),
		chromedp.SetValue(chromedp.CSS("#f-decision_date"), "2024-03-01"),
		chromedp.SetValue(chromedp.CSS("#f-defendants"), "2"),
		chromedp.SetValue(chromedp.CSS("#f-victims"), "3"),
		chromedp.Click(chromedp.CSS("#f-verdict-convicted")),
		chromedp.SetValue(chromedp.CSS("#f-sentence_months"), "48"),
		chromedp.Click(chromedp.CSS("form.record-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#error-decision_date")),
	)
	// The plugin's rule (before_field) reads in Serbian Cyrillic, not in English.
	if got := b.Text("#error-decision_date"); !strings.Contains(got, "не сме бити пре «Датум оптужнице» (2024-05-02)") || strings.Contains(got, "must not") || !strings.Contains(got, `унето "2024-03-01"`) {
		t.Errorf("the error beside decision_date says %q", got)
	}
	invalid := uitest.Eval[[]string](b, `Array.from(document.querySelectorAll('.field.invalid')).map(e => e.id)`)
	if len(invalid) != 1 || invalid[0] != "field-decision_date" {
		t.Errorf("fields marked invalid: %v, want only field-decision_date", invalid)
	}
	described := uitest.Eval[string](b, `document.getElementById('f-decision_date').getAttribute('aria-describedby') + ' ' + document.getElementById('f-decision_date').getAttribute('aria-invalid')`)
	if !strings.Contains(described, "error-decision_date") || !strings.HasSuffix(described, "true") {
		t.Errorf("decision_date's input: aria-describedby and aria-invalid %q", described)
	}
	if got := uitest.Eval[string](b, `document.getElementById('f-court').value`); got != court {
		t.Errorf("the form lost the court typed: %q", got)
	}
	if got := b.Text("#problems a"); !strings.Contains(got, "Датум пресуде") {
		t.Errorf("the list of problems links %q, want decision_date's label in Cyrillic", got)
	}
	if countRecords(t, n, records.Filter{}) != before {
		t.Fatal("a refused record was stored")
	}
	b.Do(chromedp.ScrollIntoView(chromedp.CSS("#field-indictment_date")))
	b.Screenshot(uiShot(t, "record-form"))

	// Fixed and saved.
	b.Do(chromedp.SetValue(chromedp.CSS("#f-decision_date"), "2024-06-03"),
		chromedp.Click(chromedp.CSS("form.record-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("p.notice.good")))
	loc, err := url.Parse(b.Location())
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimPrefix(loc.Path, "/ui/records/")
	h, err := n.Records().History(context.Background(), id)
	if err != nil {
		t.Fatalf("the saved record %q: %v", id, err)
	}
	if h.Record.Fields["court"] != court || h.Record.Fields["decision_date"] != "2024-06-03" || h.Record.Fields["case_number"] != caseNumber {
		t.Errorf("stored answers: %v", h.Record.Fields)
	}
	if got := b.Text("dl.answers"); !strings.Contains(got, "Првостепени суд") || !strings.Contains(got, caseNumber) {
		t.Errorf("the record's page shows %q, want the options' Cyrillic labels and the case number", got)
	}
	b.Screenshot(uiShot(t, "record"))

	// Edited: a second version, shown in the history.
	b.Do(chromedp.Click(chromedp.CSS(`a[href$="/edit"]`)), chromedp.WaitVisible(chromedp.CSS("form.record-form")),
		chromedp.SetValue(chromedp.CSS("#f-victims"), "4"),
		chromedp.Click(chromedp.CSS("form.record-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("p.notice.good")))
	if got := uitest.Eval[int](b, `document.querySelectorAll('ol.versions > li').length`); got != 2 {
		t.Errorf("history shows %d versions, want 2", got)
	}

	// Search: the court (a public answer) finds it; the case number (a
	// personal one) does not.
	search := func(text string) int {
		b.Do(chromedp.Navigate(b.URL("/ui/records")), chromedp.WaitVisible(chromedp.CSS("#flt-q")),
			chromedp.SetValue(chromedp.CSS("#flt-q"), text), chromedp.Click(chromedp.CSS("form.filters button[type=submit]")))
		waitFor(t, b, `location.search.includes('s=') && document.readyState === 'complete' && document.getElementById('count') !== null`)
		if q := b.Location(); strings.Contains(q, url.QueryEscape(text)) || strings.Contains(q, "q=") {
			t.Errorf("the search text went into the URL %s", q)
		}
		return uitest.Eval[int](b, `document.querySelectorAll('table.records tbody tr').length`)
	}
	if got := search("нишу"); got != 1 {
		t.Errorf("search for the court found %d records, want 1", got)
	}
	if got := search("77/2024"); got != 0 {
		t.Errorf("search for the case number (personal) found %d records, want 0", got)
	}

	// Import: a bad row refuses the file, nothing stored.
	dir := t.TempDir()
	header := "court,court_level,article,decision_date,defendants,victims,verdict\n"
	good := "Viši sud u Beogradu,first_instance,art_388,2023-02-01,1,1,convicted\n"
	bad := filepath.Join(dir, "presude.csv")
	if err := os.WriteFile(bad, []byte(header+good+"Viši sud u Novom Sadu,first_instance,art_388,2023-03-01,1,2,maybe\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	count := countRecords(t, n, records.Filter{})
	importFile := func(file string) {
		b.Do(chromedp.Navigate(b.URL("/ui/records/import")), chromedp.WaitVisible(chromedp.CSS("#imp-file")),
			chromedp.SetValue(chromedp.CSS("#imp-form"), "rs.judgment"),
			chromedp.SetUploadFiles(chromedp.CSS("#imp-file"), []string{file}),
			chromedp.Click(chromedp.CSS("form.import-form button[type=submit]")))
		waitFor(t, b, `document.querySelector('table.import-errors, .notice.good, .problem') !== null && document.querySelector('progress') === null`)
	}
	importFile(bad)
	cells := uitest.Eval[[]string](b, `Array.from(document.querySelectorAll('table.import-errors tbody td')).map(td => td.textContent)`)
	// The plugin's problem in the page's language, the list's values as
	// their labels.
	if len(cells) != 4 || cells[0] != "ред 3" || !strings.Contains(cells[1], "verdict") || !strings.Contains(cells[2], "мора бити једно од") ||
		!strings.Contains(cells[2], "«Осуђујућа пресуда»") || strings.Contains(cells[2], "must") || cells[3] != "maybe" {
		t.Errorf("the import's errors table: %q, want row 3, verdict, its rule in Serbian Cyrillic, maybe", cells)
	}
	if got := countRecords(t, n, records.Filter{}); got != count {
		t.Errorf("a refused import stored %d records", got-count)
	}
	goodFile := filepath.Join(dir, "presude-ok.csv")
	if err := os.WriteFile(goodFile, []byte(header+good+"Viši sud u Novom Sadu,appeal,art_388,2023-03-01,1,2,acquitted\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	importFile(goodFile)
	if got := b.Text(".notice.good"); !strings.Contains(got, "Увезено") || !strings.Contains(got, "2 додато") {
		t.Errorf("the import's result: %q", got)
	}
	if got := countRecords(t, n, records.Filter{}); got != count+2 {
		t.Errorf("the import stored %d records, want 2", got-count)
	}

	// Delete, after a confirmation.
	b.Do(chromedp.Navigate(b.URL("/ui/records/"+id)), chromedp.WaitVisible(chromedp.CSS(`a[href$="/delete"]`)),
		chromedp.Click(chromedp.CSS(`a[href$="/delete"]`)), chromedp.WaitVisible(chromedp.CSS("button.danger")))
	if countRecords(t, n, records.Filter{}) != count+2 {
		t.Fatal("the confirmation page deleted already")
	}
	b.Do(chromedp.Click(chromedp.CSS("button.danger")), chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if h, err := n.Records().Get(context.Background(), id); err != nil || !h.Deleted {
		t.Errorf("after the delete the record is %+v, %v", h, err)
	}

	// On a phone-sized screen the pages fit its width: one column, no
	// sideways scrolling.
	b.Do(chromedp.EmulateViewport(360, 740))
	for _, path := range []string{"/ui/records", "/ui/records/new?form=rs.judgment", "/ui/records/" + id, "/ui/records/import"} {
		b.Do(chromedp.Navigate(b.URL(path)), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if w := uitest.Eval[[]int](b, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
			t.Errorf("%s is %d px wide on a %d px screen", path, w[0], w[1])
		}
	}

	// Accessible: every control of the form has a label tied to it (a
	// screen reader names it), no control is taken out of the keyboard's
	// order nor any element put ahead of it (tabindex -1 stays only on
	// what links jump to: the main area, a field's legend from the list of
	// problems), and the keyboard alone, Tab after Tab from the top of the
	// page, reaches every control (a radio group once) and the Save
	// button.
	b.Do(chromedp.EmulateViewport(1280, 900))
	b.Do(chromedp.Navigate(b.URL("/ui/records/new?form=rs.judgment")), chromedp.WaitVisible(chromedp.CSS("form.record-form")))
	const controls = `Array.from(document.querySelectorAll('form.record-form input:not([type=hidden]), form.record-form select, form.record-form textarea, form.record-form button[type=submit]'))`
	if bad := uitest.Eval[[]string](b, controls+`.filter(e => e.tagName !== 'BUTTON' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')).map(e => e.name || e.id)`); len(bad) > 0 {
		t.Errorf("form controls without a label: %v", bad)
	}
	if bad := uitest.Eval[[]string](b, `Array.from(document.querySelectorAll('[tabindex]')).filter(e => e.tabIndex > 0 || (e.tabIndex < 0 && e.matches('a, button, input, select, textarea'))).map(e => e.outerHTML.slice(0, 80))`); len(bad) > 0 {
		t.Errorf("elements out of the keyboard's order: %v", bad)
	}
	const keyOf = `(e => e.tagName === 'BUTTON' ? 'button:' + e.textContent.trim() : e.type === 'radio' ? 'radio:' + e.name : (e.name || e.id))`
	want := uitest.Eval[[]string](b, `[...new Set(`+controls+`.map(`+keyOf+`))]`)
	if len(want) < 20 {
		t.Fatalf("found %d controls on the judgment form: %v", len(want), want)
	}
	b.Do(chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`))
	reached := map[string]bool{}
	for i := 0; i < 3*len(want)+40 && len(reached) < len(want); i++ {
		b.Do(chromedp.KeyEvent("\t"))
		if k := uitest.Eval[string](b, `(document.activeElement && document.activeElement.closest('form.record-form')) ? `+keyOf+`(document.activeElement) : ''`); k != "" {
			reached[k] = true
		}
	}
	for _, k := range want {
		if !reached[k] {
			t.Errorf("the keyboard never reaches %s on the form", k)
		}
	}

	// No personal answer in any URL the browser asked for.
	for _, r := range b.Requests() {
		u, _ := url.QueryUnescape(r)
		for _, secret := range []string{caseNumber, court, "77/2024"} {
			if strings.Contains(u, secret) {
				t.Errorf("request %s holds %q", r, secret)
			}
		}
	}
}
