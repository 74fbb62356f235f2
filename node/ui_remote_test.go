package node_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/keys"
)

// selfSigned writes a self-signed certificate for name and 127.0.0.1
// into dir, as docs/ui.md's openssl line makes one, and returns the
// paths of the certificate and its key, and a pool that trusts it.
func selfSigned(t *testing.T, dir, name string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{name}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "ui.crt"), filepath.Join(dir, "ui.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestUIRemoteOverTLS: with ui.remote set, another machine reaches the
// interface over TLS by a configured name only: a remote login link logs
// in with a Secure cookie; the bearer API is not served there; another
// name, or the bare IP when it is not configured, is refused.
func TestUIRemoteOverTLS(t *testing.T) {
	t.Parallel()
	const name = "kolo.office.lan"
	certFile, keyFile, pool := selfSigned(t, t.TempDir(), name)
	n := startUINode(t, func(c *config.Config) {
		c.UI.Remote = config.UIRemote{Listen: "127.0.0.1:0", TLSCert: certFile, TLSKey: keyFile, Hosts: []string{name}}
	})
	link, err := n.UILoginLink(true)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(link.URL)
	if err != nil || u.Scheme != "https" || u.Hostname() != name || u.Port() == "" {
		t.Fatalf("remote link %q", link.URL)
	}
	port := u.Port()
	// The office machine resolves the name to the node's address.
	client := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool},
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, "127.0.0.1:"+port)
			}}}
	resp, err := client.Get(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "kolo_session" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil || !session.Secure {
		t.Fatalf("remote login: %s, cookie %+v; want 303 and a Secure session cookie", resp.Status, session)
	}
	get := func(host, path string, auth string) int {
		req, _ := http.NewRequest(http.MethodGet, "https://"+name+":"+port+path, nil)
		req.Host = host
		req.AddCookie(session)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(name+":"+port, "/ui/", ""); code != http.StatusOK {
		t.Errorf("remote page: %d", code)
	}
	tok, err := os.ReadFile(filepath.Join(n.Config().Home, "api.token"))
	if err != nil {
		t.Fatal(err)
	}
	if code := get(name+":"+port, "/v1/status", strings.TrimSpace(string(tok))); code != http.StatusNotFound {
		t.Errorf("the bearer API on the remote listener: %d, want 404 (never served there)", code)
	}
	for _, host := range []string{"evil.example:" + port, "127.0.0.1:" + port, name + ":1"} {
		if code := get(host, "/ui/", ""); code != http.StatusMisdirectedRequest {
			t.Errorf("remote Host %s: %d, want 421", host, code)
		}
	}
	// The local listener keeps its own link.
	csrfOf(t, n, logIn(t, n))
}

// TestUIRemoteNeedsTLS: a remote listener without a certificate, or
// without names, stops the node from starting, with an error naming the
// keys to set.
func TestUIRemoteNeedsTLS(t *testing.T) {
	t.Parallel()
	for name, remote := range map[string]config.UIRemote{
		"no certificate": {Listen: "127.0.0.1:0", Hosts: []string{"kolo.lan"}},
		"no hosts":       {Listen: "127.0.0.1:0", TLSCert: "ui.crt", TLSKey: "ui.key"},
	} {
		home := t.TempDir()
		c := config.Defaults()
		c.Network.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
		c.Network.NAT = config.NAT{}
		c.API.Port = 0
		c.UI.Remote = remote
		if _, err := node.Init(node.InitOptions{Home: home, Org: "ASTRA", Country: "RS", Config: &c}); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(config.Options{Home: home, Getenv: func(string) string { return "" }})
		if err != nil {
			t.Fatal(err)
		}
		ks, err := keys.Read(t.Context(), home, "")
		if err != nil {
			t.Fatal(err)
		}
		n, err := node.New(t.Context(), cfg, ks, node.Options{BuiltInForms: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		err = n.Start(t.Context())
		n.Close(context.Background())
		if err == nil || !strings.Contains(err.Error(), "ui.remote.") {
			t.Errorf("%s: start: %v, want an error naming the ui.remote keys", name, err)
		}
	}
}
