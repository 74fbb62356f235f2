package node_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
)

// startUINode starts a real node (its own store, libp2p host on loopback,
// local API on a free port) with no form plugins, for the web
// interface's HTTP tests. configure, if set, changes its configuration.
func startUINode(t *testing.T, configure func(*config.Config)) *node.Node {
	t.Helper()
	return node.StartTestNode(t, "ASTRA", configure)
}

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// loginLink mints a one-time login link on n.
func loginLink(t *testing.T, n *node.Node) string {
	t.Helper()
	l, err := n.UILoginLink(false)
	if err != nil {
		t.Fatal(err)
	}
	return l.URL
}

// logIn spends a login link and returns the session cookie.
func logIn(t *testing.T, n *node.Node) *http.Cookie {
	t.Helper()
	resp, err := noRedirects.Get(loginLink(t, n))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login link: %s, want 303", resp.Status)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "kolo_session" {
			return c
		}
	}
	t.Fatal("login link set no kolo_session cookie")
	return nil
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf reads the CSRF token from the home page of the session.
func csrfOf(t *testing.T, n *node.Node, session *http.Cookie) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, n.APIURL()+"/ui/", nil)
	req.AddCookie(session)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body := readAll(t, resp)
	m := csrfField.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("home page: %s, no csrf field:\n%s", resp.Status, body)
	}
	return m[1]
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		k, err := resp.Body.Read(buf)
		b.Write(buf[:k])
		if err != nil {
			break
		}
	}
	return b.String()
}
