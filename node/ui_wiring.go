package node

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/audit"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/node/ui"
	"github.com/kolo-net/kolo/plugins/host"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// uiPart is the node's web interface (node/ui): served under /ui/ on the
// local API's listener, and on a TLS listener of its own when
// ui.remote.listen is set.
type uiPart struct {
	ui       *ui.Server
	uiRemote *http.Server
	uiLn     net.Listener
}

// startUI makes the web interface and mounts it on the local API. Call it
// after the API server exists and before it serves.
func (n *Node) startUI() error {
	if !n.cfg.UI.Enabled {
		return nil
	}
	s, err := ui.New(ui.Options{Backend: uiBackend{n}, Logger: n.log.With("component", "ui"),
		RemoteHosts: n.cfg.UI.Remote.Hosts, Org: n.cfg.Node.Org})
	if err != nil {
		return err
	}
	n.ui = s
	n.api.HandleUI(ui.Prefix, s)
	n.api.HandleJSON("POST /v1/ui/links", func(r *http.Request) (any, error) {
		var in struct {
			Remote bool `json:"remote"`
		}
		if r.ContentLength != 0 {
			if err := decodeBody(r, &in); err != nil {
				return nil, err
			}
		}
		return n.UILoginLink(in.Remote)
	})
	return nil
}

// UILink is a one-time login link of the web interface.
type UILink struct {
	URL     string    `json:"url"`
	Expires time.Time `json:"expires"`
}

// UILoginLink makes a one-time login link to the web interface: on the
// local API's address, or with remote on the TLS listener's first
// configured name.
func (n *Node) UILoginLink(remote bool) (UILink, error) {
	if n.ui == nil {
		return UILink{}, api.BadRequest(errors.New("the web interface is off (ui.enabled: false in kolo.yaml)"))
	}
	base := n.APIURL()
	if remote {
		r := n.cfg.UI.Remote
		if r.Listen == "" || n.uiLn == nil {
			return UILink{}, api.BadRequest(errors.New("remote access is off: set ui.remote.listen, tls_cert, tls_key and hosts (docs/ui.md)"))
		}
		_, port, _ := net.SplitHostPort(n.uiLn.Addr().String())
		base = "https://" + net.JoinHostPort(r.Hosts[0], port)
	}
	tok, exp, err := n.ui.NewLoginToken()
	if err != nil {
		return UILink{}, &api.Error{Code: http.StatusTooManyRequests, Err: err}
	}
	return UILink{URL: base + ui.LoginPath(tok), Expires: exp.UTC()}, nil
}

// CheckUIRemote checks that a remote listener has what it needs: a
// certificate, its key and the names it is reached by.
func CheckUIRemote(cfg config.Config) error {
	r := cfg.UI.Remote
	if r.Listen == "" {
		return nil
	}
	switch {
	case r.TLSCert == "" || r.TLSKey == "":
		return errors.New("config: ui.remote.listen is set, so ui.remote.tls_cert and ui.remote.tls_key must name a PEM certificate and its key: the remote interface is served over TLS only (docs/ui.md)")
	case len(r.Hosts) == 0:
		return errors.New("config: ui.remote.listen is set, so ui.remote.hosts must list the names browsers reach this machine by (kolo.office.lan, 192.168.1.20): any other Host header is refused")
	case !cfg.UI.Enabled:
		return errors.New("config: ui.remote.listen is set but ui.enabled is false")
	}
	return nil
}

// listenUIRemote binds the web interface's TLS listener, if configured.
func (n *Node) listenUIRemote() error {
	if n.ui == nil || n.cfg.UI.Remote.Listen == "" {
		return nil
	}
	if err := CheckUIRemote(n.cfg); err != nil {
		return err
	}
	r := n.cfg.UI.Remote
	cert, err := tls.LoadX509KeyPair(n.cfg.InHome(r.TLSCert), n.cfg.InHome(r.TLSKey))
	if err != nil {
		return fmt.Errorf("web interface: ui.remote.tls_cert and tls_key: %w", err)
	}
	ln, err := net.Listen("tcp", r.Listen)
	if err != nil {
		return fmt.Errorf("web interface: ui.remote.listen %s: %w", r.Listen, err)
	}
	n.uiLn = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	mux := http.NewServeMux()
	mux.Handle(ui.Prefix, n.ui)
	mux.Handle("GET /{$}", n.ui)
	n.uiRemote = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return nil
}

// serveUIRemote serves the TLS listener until the node closes.
func (n *Node) serveUIRemote() {
	if n.uiRemote == nil {
		return
	}
	n.log.Info("web interface for other machines", "listen", n.uiLn.Addr().String())
	if err := n.uiRemote.Serve(n.uiLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
		n.log.Error("web interface's remote listener stopped", "err", err)
	}
}

// closeUI stops the TLS listener and the imports the interface runs.
func (n *Node) closeUI(ctx context.Context) error {
	var errs []error
	if n.uiRemote != nil {
		errs = append(errs, n.uiRemote.Shutdown(ctx))
		n.uiLn.Close() // in case Serve never ran (a start that failed later)
	}
	if n.ui != nil {
		errs = append(errs, n.ui.Close(ctx))
	}
	return errors.Join(errs...)
}

// uiBackend gives the web interface the node's operations: the same
// methods the JSON API's handlers call.
type uiBackend struct{ n *Node }

var _ ui.Backend = uiBackend{}

func (b uiBackend) FormList(context.Context) []records.FormSummary { return b.n.records.Forms() }

func (b uiBackend) FormInfo(_ context.Context, ref string) (sdk.FormInfo, error) {
	return b.n.records.Form(ref)
}

func (b uiBackend) ListRecords(ctx context.Context, f records.Filter) ([]records.Summary, error) {
	return b.n.records.List(ctx, f)
}

func (b uiBackend) SearchRecords(ctx context.Context, f records.Filter, text string) ([]records.Summary, error) {
	return b.n.records.Search(ctx, f, text)
}

func (b uiBackend) RecordHistory(ctx context.Context, id string) (records.WithHistory, error) {
	return b.n.records.History(ctx, id)
}

func (b uiBackend) AddRecord(ctx context.Context, ref string, a sdk.Answers) (records.Record, error) {
	return b.n.records.Add(ctx, ref, a)
}

func (b uiBackend) EditRecord(ctx context.Context, id string, a sdk.Answers) (records.Record, error) {
	return b.n.records.Edit(ctx, id, a)
}

func (b uiBackend) DeleteRecord(ctx context.Context, id string) (records.Record, error) {
	return b.n.records.Delete(ctx, id)
}

func (b uiBackend) ImportRecords(ctx context.Context, r io.Reader, opts records.ImportOptions) (records.ImportResult, error) {
	return b.n.records.Import(ctx, r, opts)
}

func (b uiBackend) ExportRecords(ctx context.Context, w io.Writer, f records.Filter, opts records.ExportOptions) (int, error) {
	return b.n.records.ExportWith(ctx, w, f, opts)
}

func (b uiBackend) NodeStatus(context.Context) ui.NodeStatus {
	s := b.n.Status()
	return ui.NodeStatus{PeerID: s.PeerID, AgeRecipient: s.AgeRecipient, Org: s.Org, Country: s.Country, Version: s.Version,
		Uptime: time.Duration(s.UptimeSeconds) * time.Second, Peers: s.Peers, StoreBytes: s.StoreBytes, StoreProblem: s.StoreProblem,
		Addrs: s.Addrs, API: s.API, Created: s.Created, Starts: s.Starts}
}

func (b uiBackend) NodePeers(context.Context) []ui.Peer {
	ps := b.n.Peers()
	out := make([]ui.Peer, len(ps))
	for i, p := range ps {
		out[i] = ui.Peer{ID: p.ID, Org: p.Org, Country: p.Country, Roles: p.Roles, Revoked: p.Revoked, Addrs: p.Addrs}
	}
	return out
}

func (b uiBackend) NodePlugins(context.Context) []host.PluginStatus { return b.n.PluginHealth() }

func (b uiBackend) AuditEntries(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	return b.n.AuditEntries(ctx, f)
}

func (b uiBackend) VerifyAudit(ctx context.Context) ui.AuditCheck {
	v := b.n.VerifyAudit(ctx, nil)
	return ui.AuditCheck{Valid: v.Valid, Head: v.Head, Problem: v.Problem}
}
