package testnet

import (
	"context"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/ui/uitest"
	"github.com/kolo-net/kolo/protocol"
)

// uiScreenshot is where a test writes a picture of a page: docs/NAME with
// -update-screenshot, else a temporary file.
func uiScreenshot(t *testing.T, name string) string {
	if *updateScreenshot {
		return filepath.Join("..", "docs", name)
	}
	return filepath.Join(t.TempDir(), name)
}

// openUI opens node n's web interface in a new headless Chromium, logged
// in with a one-time link.
func openUI(t *testing.T, n *node.Node) *uitest.Browser {
	t.Helper()
	b := uitest.Open(t)
	l, err := n.UILoginLink(false)
	if err != nil {
		t.Fatal(err)
	}
	b.Login(l.URL)
	return b
}

// TestUINetworkInChromium: two organisations' nodes, each driven through
// its own web interface in headless Chromium. The first founds the
// network and, as a partner, invites the second, whose token is shown
// once and copied with the copy button; the second joins with it; both
// sign the Declaration after its confirmation step, and each then sees 2
// endorsements. No console error and no request off 127.0.0.1 in either
// browser (uitest checks both).
func TestUINetworkInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two nodes and two Chromiums")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	net := startNetForms(ctx, t, 2, logs)
	founder, joiner := net.Node(0), net.Node(1)

	a := openUI(t, founder)
	a.Do(chromedp.Navigate(a.URL("/ui/network")), chromedp.WaitVisible(chromedp.CSS(`form[action="/ui/network/create"]`)),
		chromedp.SetValue(chromedp.CSS("#network-name"), "Balkan monitors"),
		chromedp.Click(chromedp.CSS(`form[action="/ui/network/create"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#member-count")))
	if got := a.Text("#network-name"); got != "Balkan monitors" {
		t.Errorf("the founded network is called %q", got)
	}

	// The invite: org, country, roles; the token shown once, copied.
	if _, err := chromedp.CallBrowser(a.Ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "clipboard-read"}, Setting: "granted", Origin: a.URL("")}); err != nil {
		t.Fatal(err)
	}
	a.Do(chromedp.Navigate(a.URL("/ui/network/invites")), chromedp.WaitVisible(chromedp.CSS("#invite-org")),
		chromedp.SetValue(chromedp.CSS("#invite-org"), Org(1)), chromedp.SetValue(chromedp.CSS("#invite-country"), "hr"),
		chromedp.Click(chromedp.CSS("form.invite button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#invite-token")),
		chromedp.WaitVisible(chromedp.CSS("button.copy")), chromedp.Click(chromedp.CSS("button.copy")))
	token := uitest.Eval[string](a, `document.getElementById("invite-token").value`)
	if !strings.HasPrefix(token, protocol.TokenPrefix) {
		t.Fatalf("the invite page shows %q, not a token", token)
	}
	copied, err := chromedp.Run(a.Ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("chromium: read the clipboard: %v", err)
	}
	if copied != token {
		t.Errorf("the copy button put %q on the clipboard, want the token", copied)
	}
	if invs := founder.Invites(); len(invs) != 1 || invs[0].Org != Org(1) || invs[0].Country != "HR" || invs[0].State != "open" {
		t.Errorf("the node's invites: %+v", invs)
	}
	// Shown once: the invites page lists the invite, never its token.
	a.Do(chromedp.Navigate(a.URL("/ui/network/invites")), chromedp.WaitVisible(chromedp.CSS("table.invites")))
	if html := uitest.Eval[string](a, `document.documentElement.outerHTML`); strings.Contains(html, token) {
		t.Error("the invites page shows the token again")
	}

	// The second organisation joins through its own interface.
	b := openUI(t, joiner)
	b.Do(chromedp.Navigate(b.URL("/ui/network")), chromedp.WaitVisible(chromedp.CSS("#token")),
		chromedp.SetValue(chromedp.CSS("#token"), token),
		chromedp.Click(chromedp.CSS(`form[action="/ui/network/join"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#member-count")))
	if got := b.Text("#member-count"); got != "2" {
		t.Errorf("after joining, the joiner counts %s members", got)
	}
	if got := b.Text("#network-name"); got != "Balkan monitors" {
		t.Errorf("the joiner is in the network %q", got)
	}

	// Both sign, each after the confirmation page.
	info, _ := founder.Network()
	for _, br := range []*uitest.Browser{a, b} {
		br.Do(chromedp.Navigate(br.URL("/ui/network/declaration")), chromedp.WaitVisible(chromedp.CSS("#declaration-sha256")))
		if got := br.Text("#declaration-sha256"); got != info.Declaration.SHA256 {
			t.Errorf("the Declaration's page shows SHA-256 %s, the network's is %s", got, info.Declaration.SHA256)
		}
		br.Do(chromedp.Click(chromedp.CSS(`a[href="/ui/network/declaration/sign"]`)), chromedp.WaitVisible(chromedp.CSS("#confirm")))
		// Without the box ticked, nothing is signed.
		br.Do(chromedp.Evaluate[chromedp.Void](`document.getElementById("confirm").removeAttribute("required")`),
			chromedp.Click(chromedp.CSS("form.confirm button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#confirm-error")))
		br.Do(chromedp.Click(chromedp.CSS("#confirm")), chromedp.Click(chromedp.CSS("form.confirm button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(`a[href="/ui/network/declaration/withdraw"]`)))
	}
	if err := net.WaitCounted(ctx, 2); err != nil {
		t.Fatal(err)
	}
	for i, br := range []*uitest.Browser{a, b} {
		br.Do(chromedp.Navigate(br.URL("/ui/network/declaration")), chromedp.WaitVisible(chromedp.CSS("#endorsement-count")))
		if got := br.Text("#endorsement-count"); got != "2" {
			t.Errorf("node %d's interface shows %s endorsements, want 2", i, got)
		}
		if rows := uitest.Eval[int](br, `document.querySelectorAll("table.endorsements tr[data-state=counted]").length`); rows != 2 {
			t.Errorf("node %d's interface lists %d counted endorsements, want 2", i, rows)
		}
	}
	// In Croatian, the joiner reads the Croatian translation, and the
	// SHA-256 of the English original it signed.
	b.Do(chromedp.SetValue(chromedp.CSS("#lang-select"), "hr"), chromedp.Click(chromedp.CSS("form.lang button")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="hr"] details.original`)))
	if got := b.Text("article.declaration h1"); !strings.Contains(got, "Deklaracija") {
		t.Errorf("the Declaration in Croatian begins %q", got)
	}
	if got := b.Text("#declaration-sha256"); got != info.Declaration.SHA256 {
		t.Errorf("in Croatian the page shows SHA-256 %s, want the original's %s", got, info.Declaration.SHA256)
	}
	b.Do(chromedp.Evaluate[chromedp.Void](`document.getElementById("mine-h").scrollIntoView()`))
	b.Screenshot(uiScreenshot(t, "ui-declaration.png"))
	a.Do(chromedp.Navigate(a.URL("/ui/network")), chromedp.WaitVisible(chromedp.CSS("#member-count")))
	if got := a.Text("#member-count"); got != "2" {
		t.Errorf("the founder counts %s members", got)
	}
	if n := uitest.Eval[int](a, `document.querySelectorAll("table.members tbody tr").length`); n != 2 {
		t.Errorf("the members page lists %d members, want 2", n)
	}
	a.Screenshot(uiScreenshot(t, "ui-network.png"))
}

// answerCell is a row of the answer's table or a mark of its chart, as
// the page has it.
type answerCell struct {
	State string  `json:"state"`
	Value string  `json:"value"`
	Text  string  `json:"text"`
	Width float64 `json:"width"`
}

// TestUIQueryInChromium: an analyst composes a query in the builder of
// its node's interface (kind, aggregate, groups, a filter from a closed
// list) and asks the network while the other member is offline: the
// page shows one member answered and one not yet, and refreshes itself;
// the other member comes back, answers, and the page shows both. The
// answer's table holds the node's combined figures, suppressed cells as
// "suppressed" (never 0), and the chart has one mark per row whose bar
// lengths are proportional to the table's values.
func TestUIQueryInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two nodes and Chromium")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	net := startSeeded(ctx, t, 2, 60, logs)
	if err := net.StopNode(ctx, 1); err != nil {
		t.Fatal(err)
	}
	asker := net.Node(0)
	a := openUI(t, asker)
	a.Do(chromedp.Navigate(a.URL("/ui/analysis")), chromedp.WaitVisible(chromedp.CSS("#builder")),
		chromedp.Click(chromedp.CSS(`input[name=by][value=country]`)), chromedp.Click(chromedp.CSS(`input[name=by][value=verdict]`)),
		chromedp.Click(chromedp.CSS(`details.filter:has(input[name="f.court_level"]) summary`)),
		chromedp.Click(chromedp.CSS(`input[name="f.court_level"][value=first_instance]`)),
		chromedp.Click(chromedp.CSS(`input[name="f.court_level"][value=appeal]`)),
		chromedp.Click(chromedp.CSS("#show-query")), chromedp.WaitVisible(chromedp.CSS("#q-text")))
	const want = "count judgment by country, verdict where court_level in (first_instance, appeal)"
	if got := uitest.Eval[string](a, `document.getElementById("q-text").value`); got != want {
		t.Fatalf("the builder wrote %q, want %q", got, want)
	}
	a.Do(chromedp.SetValue(chromedp.CSS("#q-wait"), "1h0m0s"), chromedp.Click(chromedp.CSS("#ask-network")),
		chromedp.WaitVisible(chromedp.CSS("#coverage-summary")),
		// The asking node answers too, at once: the page, refreshing
		// itself, shows it.
		chromedp.WaitVisible(chromedp.CSS(`table.coverage tr[data-state="answered"]`)))
	if got := a.Text("#coverage-summary [data-count=waiting]"); got != "1" {
		t.Errorf("with the other member offline, %s members have not answered, want 1", got)
	}
	if got := uitest.Eval[string](a, `document.getElementById("coverage-summary").dataset.pending`); got != "true" {
		t.Errorf("the page does not say it waits for answers: data-pending=%s", got)
	}
	if n := uitest.Eval[int](a, `document.querySelectorAll('meta[http-equiv="refresh"]').length`); n != 1 {
		t.Errorf("an open query's page has %d refresh tags, want 1", n)
	}
	id := strings.TrimPrefix(a.Location(), a.URL("/ui/analysis/queries/"))

	// The other member comes back, gets the query and answers; the page,
	// left alone, refreshes itself until it shows both.
	if err := net.StartNode(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := net.Connect(ctx, 0, 1); err != nil {
		t.Fatal(err)
	}
	a.Do(chromedp.WaitVisible(chromedp.CSS(`#coverage-summary[data-pending="false"]`)))
	if got := a.Text("#coverage-summary [data-count=answered]"); got != "2" {
		t.Fatalf("after the other member came back, %s members answered, want 2", got)
	}
	st, err := asker.QueryStatus(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	rows := uitest.Eval[[]answerCell](a, `Array.from(document.querySelectorAll("#answer-table tbody tr")).map(r => ({
		state: r.dataset.state, value: r.dataset.value || "", text: r.querySelector("td.value").textContent, width: 0}))`)
	marks := uitest.Eval[[]answerCell](a, `Array.from(document.querySelectorAll("#answer-chart [data-state]")).map(m => ({
		state: m.dataset.state, value: m.dataset.value || "", text: "", width: m.getBBox().width}))`)
	cells := st.Combined.Cells
	if len(rows) != len(cells) || len(rows) == 0 {
		t.Fatalf("the table has %d rows; the node's answer has %d cells", len(rows), len(cells))
	}
	if len(marks) != len(rows) {
		t.Fatalf("the chart has %d marks for %d rows", len(marks), len(rows))
	}
	released, suppressed := 0, 0
	ratio := 0.0
	for i, c := range cells {
		r, m := rows[i], marks[i]
		if r.State != m.State || r.Value != m.Value {
			t.Errorf("cell %v: the table has %s %q, the chart %s %q", c.Group, r.State, r.Value, m.State, m.Value)
		}
		switch {
		case c.Value != nil:
			released++
			if v, err := strconv.ParseFloat(r.Value, 64); err != nil || v != *c.Value || r.State != "value" {
				t.Errorf("cell %v: the table shows %s %q, the node's figure is %v", c.Group, r.State, r.Value, *c.Value)
			}
			if *c.Value > 0 {
				if ratio == 0 {
					ratio = m.Width / *c.Value
				}
				if m.Width <= 0 || math.Abs(m.Width / *c.Value - ratio) > 0.01*ratio {
					t.Errorf("cell %v: a bar %.2f wide for %v; the others are %.3f per record", c.Group, m.Width, *c.Value, ratio)
				}
			}
		case len(c.Suppressed) > 0:
			suppressed++
			if r.State != "suppressed" || r.Value != "" || r.Text != "suppressed" {
				t.Errorf("cell %v, suppressed by the node, is shown as %s %q (value %q)", c.Group, r.State, r.Text, r.Value)
			}
		}
	}
	if released == 0 || suppressed == 0 {
		t.Errorf("the answer has %d released and %d suppressed cells; the test needs both", released, suppressed)
	}
	if n := uitest.Eval[int](a, `document.querySelectorAll('meta[http-equiv="refresh"]').length`); n != 0 {
		t.Errorf("a query every member answered still refreshes (%d tags)", n)
	}
	a.Do(chromedp.Evaluate[chromedp.Void](`document.getElementById("answer-h").scrollIntoView()`))
	a.Screenshot(uiScreenshot(t, "ui-query.png"))

	// The regional report, made and opened from the same pages: served
	// with its inline styles allowed by hash, with no console error.
	a.Do(chromedp.Navigate(a.URL("/ui/analysis/report")), chromedp.WaitVisible(chromedp.CSS("#make-report")),
		chromedp.Click(chromedp.CSS("#make-report")), chromedp.WaitVisible(chromedp.CSS("#open-report")),
		chromedp.Click(chromedp.CSS("#open-report")), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	if n := uitest.Eval[int](a, `document.querySelectorAll("svg.chart").length`); n < 10 {
		t.Errorf("the report shows %d charts", n)
	}
	if c := uitest.Eval[string](a, `getComputedStyle(document.body).maxWidth`); c == "none" {
		t.Error("the report's inline style was not applied (its CSP hash is wrong?)")
	}
}
