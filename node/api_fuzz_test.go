package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/testnet"
)

// apiRoute is one endpoint of the local API, with {p} where a path value
// goes. POST /v1/join is left out: it dials the addresses a token names,
// and fuzzed tokens would name any host on any network.
type apiRoute struct{ method, path string }

var apiRoutes = []apiRoute{
	{"GET", "/v1/status"},
	{"GET", "/v1/forms"},
	{"GET", "/v1/forms/{p}"},
	{"POST", "/v1/records"},
	{"POST", "/v1/records/import"},
	{"GET", "/v1/records"},
	{"GET", "/v1/records/export"},
	{"GET", "/v1/records/{p}"},
	{"PUT", "/v1/records/{p}"},
	{"DELETE", "/v1/records/{p}"},
	{"GET", "/v1/network"},
	{"GET", "/v1/network/file"},
	{"POST", "/v1/network"},
	{"POST", "/v1/invites"},
	{"GET", "/v1/invites"},
	{"POST", "/v1/invites/cancel"},
	{"POST", "/v1/members/revoke"},
	{"GET", "/v1/members"},
	{"POST", "/v1/declaration/sign"},
	{"POST", "/v1/declaration/revoke"},
	{"GET", "/v1/declaration/endorsements"},
	{"GET", "/v1/declaration/status"},
	{"GET", "/v1/declaration/export"},
	{"POST", "/v1/queries"},
	{"GET", "/v1/queries"},
	{"GET", "/v1/queries/{p}"},
	{"GET", "/v1/queries/{p}/evidence"},
	{"GET", "/v1/audit"},
	{"GET", "/v1/audit/verify"},
}

func routeIndex(tb testing.TB, method, path string) uint8 {
	for i, r := range apiRoutes {
		if r.method == method && r.path == path {
			return uint8(i)
		}
	}
	tb.Fatalf("no route %s %s", method, path)
	return 0
}

// apiClient talks to a running node's local API with its bearer token.
type apiClient struct {
	url, token string
	http       *http.Client
}

func (c *apiClient) do(method, path, rawQuery string, body []byte) (*http.Response, []byte, error) {
	u := c.url + path
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// FuzzLocalAPI sends the local API of a running node (RS, founder of a
// network, with forms served by real plugin processes) requests with
// arbitrary path values, query strings and bodies, on every endpoint but
// join. Every answer must come (a handler that panics drops the
// connection), be JSON, and be a success or a 4xx whose body says what
// was wrong: a 500 is an input the node did not recognise as bad. The node
// must still answer its status afterwards.
//
// The node keeps what earlier inputs stored, as a daemon does; an input's
// outcome can depend on them (a network already created, a record id).
func FuzzLocalAPI(f *testing.F) {
	judgment, err := os.ReadFile(filepath.Join("..", "plugins", "forms", "rs", "testdata", "judgment.v2.json"))
	if err != nil {
		f.Fatal(err)
	}
	csv, err := os.ReadFile(filepath.Join("records", "testdata", "import", "judgments-semicolon.csv"))
	if err != nil {
		f.Fatal(err)
	}
	seeds := []struct {
		method, path, param, query, body string
	}{
		{"GET", "/v1/status", "", "", ""},
		{"GET", "/v1/forms/{p}", "rs.judgment", "version=1", ""},
		{"POST", "/v1/records", "", "form=rs.judgment", string(judgment)},
		{"POST", "/v1/records", "", "form=rs.judgment@1", `{"court":1}`},
		{"POST", "/v1/records/import", "", "form=rs.judgment&format=csv", string(csv)},
		{"GET", "/v1/records", "", "kind=judgment&since=2026-01-01&form=rs.judgment", ""},
		{"GET", "/v1/records/export", "", "format=csv&kind=judgment", ""},
		{"GET", "/v1/records/{p}", "r-0000", "", ""},
		{"PUT", "/v1/records/{p}", "r-0000", "", string(judgment)},
		{"DELETE", "/v1/records/{p}", "x", "", ""},
		{"POST", "/v1/network", "", "", `{"name":"Another network"}`},
		{"POST", "/v1/invites", "", "", `{"org":"Open Gate","country":"MK","roles":"partner,analyst","ttl":"72h"}`},
		{"POST", "/v1/invites/cancel", "", "", `{"id":"0123456789abcdef"}`},
		{"POST", "/v1/invites/cancel", "", "", `{"id":"abc"}`},
		{"POST", "/v1/members/revoke", "", "", `{"peer":"12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq","drop_admitted":true}`},
		{"POST", "/v1/declaration/sign", "", "", ""},
		{"GET", "/v1/declaration/export", "", "format=html", ""},
		{"POST", "/v1/queries", "", "", `{"text":"count judgment by country","wait":"1m"}`},
		{"POST", "/v1/queries", "", "", `{"text":"mean(sentence_months) judgment by country, year","epsilon":0.5}`},
		{"GET", "/v1/queries/{p}", "nosuchquery", "wait=1s", ""},
		{"GET", "/v1/queries/{p}/evidence", "x", "", ""},
		{"GET", "/v1/audit", "", "event=query_sent&since=2026-01-01&limit=5", ""},
		{"GET", "/v1/audit/verify", "", "anchor=1:" + strings.Repeat("0", 64), ""},
	}
	for _, s := range seeds {
		f.Add(routeIndex(f, s.method, s.path), s.param, s.query, []byte(s.body))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	net, err := testnet.Start(ctx, testnet.Options{N: 1, Dir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { net.Close(context.Background()); cancel() })
	if err := net.Form(ctx); err != nil {
		f.Fatal(err)
	}
	token, err := os.ReadFile(filepath.Join(net.HomeOf(0), api.TokenFile))
	if err != nil {
		f.Fatal(err)
	}
	c := &apiClient{url: net.Node(0).APIURL(), token: strings.TrimSpace(string(token)), http: &http.Client{Timeout: time.Minute}}

	f.Fuzz(func(t *testing.T, route uint8, param, query string, body []byte) {
		r := apiRoutes[int(route)%len(apiRoutes)]
		path := strings.ReplaceAll(r.path, "{p}", url.PathEscape(param))
		query = requestTarget(query)
		resp, out, err := c.do(r.method, path, query, body)
		if resp == nil && err != nil {
			t.Fatalf("%s %s?%s: no answer: %v", r.method, path, query, err)
		}
		if err != nil {
			t.Fatalf("%s %s?%s: answer cut: %v", r.method, path, query, err)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("%s %s?%s: %d with Content-Type %q: %q", r.method, path, query, resp.StatusCode, ct, out)
		}
		if !json.Valid(out) {
			t.Fatalf("%s %s?%s: %d, not JSON: %q", r.method, path, query, resp.StatusCode, out)
		}
		if resp.StatusCode != http.StatusOK {
			var p api.Problem
			if json.Unmarshal(out, &p) != nil || p.Error == "" {
				t.Fatalf("%s %s?%s: %d without an error message: %s", r.method, path, query, resp.StatusCode, out)
			}
			if resp.StatusCode >= 500 || resp.StatusCode < 400 {
				t.Fatalf("%s %s?%s (body %.200q): %d %s", r.method, path, query, body, resp.StatusCode, p.Error)
			}
		}
		if st, _, err := c.do("GET", "/v1/status", "", nil); err != nil || st.StatusCode != http.StatusOK {
			t.Fatalf("after %s %s the node does not answer its status: %v", r.method, path, err)
		}
	})
}

// requestTarget percent-encodes what may not stand in a query string as
// sent on a request line (RFC 3986: controls, space, non-ASCII, a % not
// followed by two hex digits), so that the fuzzer's query strings reach
// the handlers instead of being refused by net/http's request parser.
func requestTarget(q string) string {
	const hex = "0123456789ABCDEFabcdef"
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		ok := c > ' ' && c < 0x7f && !strings.ContainsRune("\"#<>\\^`{|}", rune(c))
		if c == '%' {
			ok = i+2 < len(q) && strings.IndexByte(hex, q[i+1]) >= 0 && strings.IndexByte(hex, q[i+2]) >= 0
		}
		if ok {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
