package node_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node/api"
)

// post sends a form post to path with the session cookie, the given
// Origin ("" for none) and form fields.
func post(t *testing.T, base, path string, session *http.Cookie, origin string, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if session != nil {
		req.AddCookie(session)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestUILoginLinkIsSpent: a login link logs in once, with a session cookie
// that is HttpOnly, SameSite=Strict and scoped to /ui/, and redirects so
// the token leaves the address bar; opened again it is refused, as is a
// made-up token.
func TestUILoginLinkIsSpent(t *testing.T) {
	t.Parallel()
	n := startUINode(t, nil)
	link := loginLink(t, n)
	resp, err := noRedirects.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/ui/" {
		t.Fatalf("first use: %s to %q, want 303 to /ui/", resp.Status, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "kolo_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/ui/" || session.Value == "" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/ui/", session)
	}
	for name, u := range map[string]string{"spent": link, "made up": n.APIURL() + "/ui/login?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "none": n.APIURL() + "/ui/login"} {
		resp, err := noRedirects.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "kolo ui") {
			t.Errorf("%s link: %s, want 403 saying to run kolo ui again:\n%s", name, resp.Status, body)
		}
		for _, c := range resp.Cookies() {
			if c.Name == "kolo_session" {
				t.Errorf("%s link set a session cookie", name)
			}
		}
	}
	// The session works; without it a page asks to log in.
	csrfOf(t, n, session)
	resp, err = noRedirects.Get(n.APIURL() + "/ui/records")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a page without a session: %s, want 401", resp.Status)
	}
}

// TestUIRefusesChangesWithoutCSRFOrOrigin: a POST without the session's
// CSRF token, with a wrong one, without an Origin or with another site's
// Origin is refused and changes nothing (the session stays logged in);
// with both right, it goes through.
func TestUIRefusesChangesWithoutCSRFOrOrigin(t *testing.T) {
	t.Parallel()
	n := startUINode(t, nil)
	base := n.APIURL()
	session := logIn(t, n)
	csrf := csrfOf(t, n, session)
	cases := []struct {
		name, origin, csrf string
	}{
		{"no csrf", base, ""},
		{"wrong csrf", base, csrf[:len(csrf)-2] + "xx"},
		{"another session's csrf", base, csrfOf(t, n, logIn(t, n))},
		{"no origin", "", csrf},
		{"foreign origin", "http://evil.example", csrf},
		{"same host, other port", "http://127.0.0.1:1", csrf},
		{"https origin for http", strings.Replace(base, "http://", "https://", 1), csrf},
	}
	for _, tc := range cases {
		form := url.Values{}
		if tc.csrf != "" {
			form.Set("csrf", tc.csrf)
		}
		resp := post(t, base, "/ui/logout", session, tc.origin, form)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %s, want 403", tc.name, resp.Status)
		}
		// Still logged in: the refused logout did nothing.
		csrfOf(t, n, session)
	}
	resp := post(t, base, "/ui/logout", session, base, url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("logout with csrf and origin: %s", resp.Status)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/ui/", nil)
	req.AddCookie(session)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("after logout the session still opens pages: %s", resp.Status)
	}
}

// TestUIRefusesForeignHost: a request whose Host header names another
// site (a DNS name rebound to 127.0.0.1) or another port is refused, even
// with a valid session, and so is a login link; loopback names pass.
func TestUIRefusesForeignHost(t *testing.T) {
	t.Parallel()
	n := startUINode(t, nil)
	base := n.APIURL()
	port := base[strings.LastIndex(base, ":")+1:]
	session := logIn(t, n)
	get := func(host, path string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Host = host
		req.AddCookie(session)
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, host := range []string{"evil.example:" + port, "evil.example", "127.0.0.1:1", "127.0.0.1", "localhost.evil.example:" + port, "127.0.0.2:" + port} {
		if resp := get(host, "/ui/"); resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: %s, want 421", host, resp.Status)
		}
	}
	link := loginLink(t, n)
	if resp := get("evil.example:"+port, strings.TrimPrefix(link, base)); resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("login link with a foreign Host: %s, want 421", resp.Status)
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port} {
		if resp := get(host, "/ui/"); resp.StatusCode != http.StatusOK {
			t.Errorf("Host %s: %s, want 200", host, resp.Status)
		}
	}
}

// TestUIHeadersAndAPI: pages carry the strict CSP and the other headers;
// / leads to /ui/; the bearer-token API keeps working for the commands and
// still refuses a request without the token.
func TestUIHeadersAndAPI(t *testing.T) {
	t.Parallel()
	n := startUINode(t, nil)
	base := n.APIURL()
	session := logIn(t, n)
	req, _ := http.NewRequest(http.MethodGet, base+"/ui/", nil)
	req.AddCookie(session)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"Cache-Control":           "no-store",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	resp, err = noRedirects.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/ui/" {
		t.Errorf("GET /: %s to %q, want 303 to /ui/", resp.Status, resp.Header.Get("Location"))
	}
	resp, err = noRedirects.Get(base + "/v1/status")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/v1/status without token: %s, want 401", resp.Status)
	}
	cl, err := api.Dial(t.Context(), n.Config().Home)
	if err != nil {
		t.Fatal(err)
	}
	var link struct{ URL string }
	if err := cl.Do(t.Context(), http.MethodPost, "/v1/ui/links", nil, &link); err != nil {
		t.Fatalf("POST /v1/ui/links with the token: %v", err)
	}
	if !strings.HasPrefix(link.URL, base+"/ui/login?t=") {
		t.Errorf("link %q", link.URL)
	}
	if _, err := os.Stat(filepath.Join(n.Config().Home, api.TokenFile)); err != nil {
		t.Error(err)
	}
}
