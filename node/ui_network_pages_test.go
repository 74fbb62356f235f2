package node_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// getPage fetches path with the session and the language lang.
func getPage(t *testing.T, n *node.Node, session *http.Cookie, lang, path string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, n.APIURL()+path, nil)
	req.AddCookie(session)
	req.AddCookie(&http.Cookie{Name: "kolo_lang", Value: lang})
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header, readAll(t, resp)
}

// leakedKey finds a catalogue key shown instead of its text.
var leakedKey = regexp.MustCompile(`\b(ui|report)\.[a-z_]+\.[a-z_.]+\b`)

// TestUINetworkPagesInEveryLanguage: every network and analysis page,
// before and after the node founds a network, signs and asks, is drawn
// in each of the six languages with no catalogue key left untranslated;
// the Declaration's page shows the text's SHA-256 and, in Serbian, the
// Serbian translation; the query's page shows its coverage.
func TestUINetworkPagesInEveryLanguage(t *testing.T) {
	t.Parallel()
	n := startUINode(t, nil)
	base := n.APIURL()
	session := logIn(t, n)
	csrf := csrfOf(t, n, session)
	check := func(paths ...string) map[string]string {
		t.Helper()
		bodies := map[string]string{}
		for _, lang := range sdk.Languages {
			for _, p := range paths {
				code, _, body := getPage(t, n, session, lang, p)
				if code != http.StatusOK {
					t.Errorf("%s in %s: %d\n%s", p, lang, code, body)
					continue
				}
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s in %s: the page is not in %s", p, lang, lang)
				}
				if k := leakedKey.FindString(body); k != "" {
					t.Errorf("%s in %s shows the key %s instead of its text", p, lang, k)
				}
				bodies[lang+" "+p] = body
			}
		}
		return bodies
	}
	before := check("/ui/network", "/ui/analysis")
	if !strings.Contains(before["sr-Cyrl /ui/network"], `action="/ui/network/join"`) || !strings.Contains(before["sr-Cyrl /ui/network"], `action="/ui/network/create"`) {
		t.Error("a node with no network is not offered to join or found one")
	}
	resp := post(t, base, "/ui/network/create", session, base, url.Values{"csrf": {csrf}, "name": {"Balkan monitors"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("found: %s", resp.Status)
	}
	info, _ := n.Network()
	resp = post(t, base, "/ui/network/declaration/sign", session, base, url.Values{"csrf": {csrf}, "confirm": {"yes"}, "sha256": {info.Declaration.SHA256}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: %s", resp.Status)
	}
	resp = post(t, base, "/ui/analysis/ask", session, base, url.Values{"csrf": {csrf}, "text": {"count  judgment by country"}, "wait": {"30s"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/ui/analysis/queries/") {
		t.Fatalf("ask: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	queryPage := resp.Header.Get("Location")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := n.QueryStatus(ctx, strings.TrimPrefix(queryPage, "/ui/analysis/queries/"), time.Minute); err != nil {
		t.Fatal(err)
	}
	after := check("/ui/network", "/ui/network/declaration", "/ui/network/declaration/sign", "/ui/network/declaration/withdraw",
		"/ui/network/invites", "/ui/network/members/"+n.PeerID().String()+"/revoke", "/ui/analysis", "/ui/analysis?kind=police_case&agg=share&ind=cross_border&by=country&by=year&f.referral_source=police&step=show",
		"/ui/analysis/queries", queryPage, "/ui/analysis/report")
	decl := after["sr-Latn /ui/network/declaration"]
	if !strings.Contains(decl, info.Declaration.SHA256) || !strings.Contains(decl, "Deklaracija civilnog društva") {
		t.Error("the Declaration's page in sr-Latn shows neither its SHA-256 nor the Serbian text")
	}
	if !strings.Contains(after["en /ui/network/declaration"], `id="endorsement-count">1<`) {
		t.Error("the Declaration's page does not count this node's endorsement")
	}
	if q := after["en "+queryPage]; !strings.Contains(q, "count judgment by country") || !strings.Contains(q, `<span data-count="answered">1</span>`) {
		t.Errorf("the query's page shows neither the canonical text nor this node's answer:\n%s", q)
	}
	if b := after["en /ui/analysis?kind=police_case&agg=share&ind=cross_border&by=country&by=year&f.referral_source=police&step=show"]; !strings.Contains(b,
		"share(cross_border) police_case by country, year where referral_source = police</textarea>") {
		t.Errorf("the builder did not write the query:\n%s", b)
	}
}

// TestUIReportPage: the regional report is made from the analysis
// pages and served as the file kolo report writes, with a
// Content-Security-Policy of its own that allows exactly its inline
// style blocks (by hash) and no script.
func TestUIReportPage(t *testing.T) {
	if testing.Short() {
		t.Skip("asks the report's queries")
	}
	t.Parallel()
	n := startUINode(t, nil)
	base := n.APIURL()
	session := logIn(t, n)
	csrf := csrfOf(t, n, session)
	resp := post(t, base, "/ui/network/create", session, base, url.Values{"csrf": {csrf}, "name": {"Balkan monitors"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("found: %s", resp.Status)
	}
	resp = post(t, base, "/ui/analysis/report", session, base, url.Values{"csrf": {csrf}, "from": {"2015"}, "to": {""}})
	if body := readAll(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="period-error"`) {
		t.Errorf("a period with one end: %s, want the form again with the problem beside the period", resp.Status)
	}
	resp = post(t, base, "/ui/analysis/report", session, base, url.Values{"csrf": {csrf}, "from": {"2015-01"}, "to": {"2016-12"}, "wait": {federation.MinWait.String()}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/ui/analysis/report/") {
		t.Fatalf("make the report: %s to %q", resp.Status, loc)
	}
	id := strings.TrimPrefix(loc, "/ui/analysis/report/")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	for {
		st, err := n.ReportJob(ctx, id, 30*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if st.Done {
			if st.Error != "" {
				t.Fatalf("the report failed: %s", st.Error)
			}
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the report was not done in 3 minutes")
		}
	}
	code, _, body := getPage(t, n, session, "hr", loc)
	if code != http.StatusOK || !strings.Contains(body, loc+"/view") {
		t.Fatalf("the report's page: %d, no link to the report\n%s", code, body)
	}
	code, h, body := getPage(t, n, session, "hr", loc+"/view")
	if code != http.StatusOK || !strings.Contains(body, "Regionalno") {
		t.Fatalf("the report: %d, not the Croatian report\n%.500s", code, body)
	}
	csp := h.Get("Content-Security-Policy")
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the report has no style block")
	}
	sum := sha256.Sum256([]byte(m[1]))
	want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if !strings.Contains(csp, want) || strings.Contains(csp, "unsafe") || strings.Contains(csp, "script-src") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("the report's CSP is %q; want default-src 'none' and %s, nothing unsafe, no script", csp, want)
	}
	if strings.Contains(body, "<script") {
		t.Error("the report holds a script")
	}
	// Compressed for a browser that takes gzip (the report is some 200 KB
	// of SVG), with the same policy.
	req, _ := http.NewRequest(http.MethodGet, base+loc+"/view", nil)
	req.AddCookie(session)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	zr, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	zipped := readAll(t, zr)
	zr.Body.Close()
	if zr.Header.Get("Content-Encoding") != "gzip" || len(zipped)*3 > len(body) || zr.Header.Get("Content-Security-Policy") != csp {
		t.Errorf("with Accept-Encoding gzip: Content-Encoding %q, %d bytes for %d, CSP %q", zr.Header.Get("Content-Encoding"), len(zipped), len(body), zr.Header.Get("Content-Security-Policy"))
	}
	if code, _, _ := getPage(t, n, session, "en", "/ui/analysis/report/0123456789abcdef/view"); code != http.StatusNotFound {
		t.Errorf("an unknown report: %d, want 404", code)
	}
}
