package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/host"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// recordsBackend is what the forms and record commands work with: the
// running daemon's API (daemonRecords), or, when no daemon runs, the
// records book on the home's store with plugins of its own (localRecords).
// Both end in the same records.Book.
type recordsBackend interface {
	Forms(ctx context.Context) ([]records.FormSummary, error)
	Form(ctx context.Context, ref string) (sdk.FormInfo, error)
	Add(ctx context.Context, form string, answers []byte) (records.Record, error)
	Import(ctx context.Context, r io.Reader, opts records.ImportOptions) (records.ImportResult, error)
	List(ctx context.Context, f records.Filter) ([]records.Summary, error)
	History(ctx context.Context, id string) (records.WithHistory, error)
	Edit(ctx context.Context, id string, answers []byte) (records.Record, error)
	Delete(ctx context.Context, id string) (records.Record, error)
	Purge(ctx context.Context, id, by string) (records.Record, error)
	Expired(ctx context.Context, years int) ([]records.Summary, error)
	PurgeExpired(ctx context.Context, years int, by string) ([]string, error)
	Export(ctx context.Context, w io.Writer, f records.Filter, opts records.ExportOptions) (int, error)
	Close() error
}

// openRecords connects to the daemon of the home, or, when none runs,
// opens the home itself.
func (g *globals) openRecords(ctx context.Context, stderr io.Writer) (recordsBackend, error) {
	cfg, err := g.loadConfig(nil, nil)
	if err != nil {
		return nil, err
	}
	cl, err := api.Dial(ctx, cfg.Home)
	switch {
	case err == nil:
		return &daemonRecords{c: cl}, nil
	case errors.Is(err, api.ErrNotRunning):
		return newLocalRecords(ctx, cfg, stderr), nil
	}
	return nil, err
}

// daemonRecords goes through the daemon's local API.
type daemonRecords struct{ c *api.Client }

func (d *daemonRecords) Forms(ctx context.Context) ([]records.FormSummary, error) {
	var out []records.FormSummary
	return out, d.c.Do(ctx, http.MethodGet, "/v1/forms", nil, &out)
}

func (d *daemonRecords) Form(ctx context.Context, ref string) (sdk.FormInfo, error) {
	id, version, err := records.ParseRef(ref)
	if err != nil {
		return sdk.FormInfo{}, err
	}
	path := "/v1/forms/" + url.PathEscape(id)
	if version > 0 {
		path += fmt.Sprintf("?version=%d", version)
	}
	var fi sdk.FormInfo
	return fi, d.c.Do(ctx, http.MethodGet, path, nil, &fi)
}

func (d *daemonRecords) Add(ctx context.Context, form string, answers []byte) (records.Record, error) {
	var rec records.Record
	return rec, d.c.Do(ctx, http.MethodPost, "/v1/records?"+url.Values{"form": {form}}.Encode(), strings.NewReader(string(answers)), &rec)
}

func (d *daemonRecords) Import(ctx context.Context, r io.Reader, opts records.ImportOptions) (records.ImportResult, error) {
	var res records.ImportResult
	return res, d.c.Do(ctx, http.MethodPost, "/v1/records/import?"+opts.Query().Encode(), r, &res)
}

func (d *daemonRecords) List(ctx context.Context, f records.Filter) ([]records.Summary, error) {
	var out []records.Summary
	return out, d.c.Do(ctx, http.MethodGet, "/v1/records?"+f.Query().Encode(), nil, &out)
}

func (d *daemonRecords) History(ctx context.Context, id string) (records.WithHistory, error) {
	var h records.WithHistory
	return h, d.c.Do(ctx, http.MethodGet, "/v1/records/"+url.PathEscape(id), nil, &h)
}

func (d *daemonRecords) Edit(ctx context.Context, id string, answers []byte) (records.Record, error) {
	var rec records.Record
	return rec, d.c.Do(ctx, http.MethodPut, "/v1/records/"+url.PathEscape(id), strings.NewReader(string(answers)), &rec)
}

func (d *daemonRecords) Delete(ctx context.Context, id string) (records.Record, error) {
	var rec records.Record
	return rec, d.c.Do(ctx, http.MethodDelete, "/v1/records/"+url.PathEscape(id), nil, &rec)
}

func (d *daemonRecords) Purge(ctx context.Context, id, by string) (records.Record, error) {
	var rec records.Record
	return rec, d.c.Do(ctx, http.MethodPost, "/v1/records/"+url.PathEscape(id)+"/purge?"+url.Values{"by": {by}}.Encode(), nil, &rec)
}

func (d *daemonRecords) Expired(ctx context.Context, years int) ([]records.Summary, error) {
	var out []records.Summary
	return out, d.c.Do(ctx, http.MethodGet, fmt.Sprintf("/v1/records/expired?years=%d", years), nil, &out)
}

func (d *daemonRecords) PurgeExpired(ctx context.Context, years int, by string) ([]string, error) {
	var out []string
	q := url.Values{"years": {fmt.Sprint(years)}, "by": {by}}
	return out, d.c.Do(ctx, http.MethodPost, "/v1/records/expired/purge?"+q.Encode(), nil, &out)
}

func (d *daemonRecords) Export(ctx context.Context, w io.Writer, f records.Filter, opts records.ExportOptions) (int, error) {
	q := f.Query()
	q.Set("format", string(opts.Format))
	if opts.Dialect.Name != "" {
		q.Set("dialect", opts.Dialect.Name)
	}
	var ef records.ExportFile
	if err := d.c.Do(ctx, http.MethodGet, "/v1/records/export?"+q.Encode(), nil, &ef); err != nil {
		return 0, err
	}
	_, err := io.WriteString(w, ef.Content)
	return ef.Records, err
}

func (d *daemonRecords) Close() error { return nil }

// localRecords opens the home's store and starts plugins itself, as the
// daemon does, but only what a command needs: the store on the first
// record operation (so kolo forms needs no passphrase), and the plugins
// of the country of the form at hand.
type localRecords struct {
	ctx   context.Context
	cfg   config.Config
	log   *slog.Logger
	forms *lazyForms

	st   *store.Store
	book *records.Book
}

func newLocalRecords(ctx context.Context, cfg config.Config, stderr io.Writer) *localRecords {
	lvl := slog.LevelWarn
	if cfg.Log.Level == "debug" {
		lvl = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))
	return &localRecords{ctx: ctx, cfg: cfg, log: log, forms: &lazyForms{ctx: ctx, cfg: cfg, log: log}}
}

// open opens the store and the records book.
func (l *localRecords) open() (*records.Book, error) {
	if l.book != nil {
		return l.book, nil
	}
	ks, err := keys.Read(l.ctx, l.cfg.Home, os.Getenv("KOLO_PASSPHRASE"))
	if err != nil {
		return nil, err
	}
	pid, err := peer.IDFromPrivateKey(ks.P2P)
	if err != nil {
		return nil, fmt.Errorf("peer ID: %w", err)
	}
	st, err := node.OpenStore(l.cfg, ks, l.log)
	if err != nil {
		return nil, err
	}
	b, err := records.Open(l.ctx, st, l.forms, pid.String(), records.Options{Logger: l.log})
	if err != nil {
		st.Close()
		return nil, err
	}
	l.st, l.book = st, b
	return b, nil
}

// failed prefers the plugin host's failure to start, if any, to err.
func (l *localRecords) failed(err error) error {
	if err != nil {
		if herr := l.forms.startErr(); herr != nil {
			return herr
		}
	}
	return err
}

func (l *localRecords) Forms(ctx context.Context) ([]records.FormSummary, error) {
	l.forms.wantAll()
	out := records.FormList(l.forms)
	return out, l.forms.startErr()
}

func (l *localRecords) Form(ctx context.Context, ref string) (sdk.FormInfo, error) {
	fi, err := records.Resolve(l.forms, ref)
	return fi, l.failed(err)
}

func (l *localRecords) Add(ctx context.Context, form string, answers []byte) (records.Record, error) {
	a, err := records.ParseAnswers(answers)
	if err != nil {
		return records.Record{}, err
	}
	b, err := l.open()
	if err != nil {
		return records.Record{}, err
	}
	rec, err := b.Add(ctx, form, a)
	return rec, l.failed(err)
}

func (l *localRecords) Import(ctx context.Context, r io.Reader, opts records.ImportOptions) (records.ImportResult, error) {
	b, err := l.open()
	if err != nil {
		return records.ImportResult{}, err
	}
	res, err := b.Import(ctx, r, opts)
	return res, l.failed(err)
}

func (l *localRecords) List(ctx context.Context, f records.Filter) ([]records.Summary, error) {
	b, err := l.open()
	if err != nil {
		return nil, err
	}
	return b.List(ctx, f)
}

func (l *localRecords) History(ctx context.Context, id string) (records.WithHistory, error) {
	b, err := l.open()
	if err != nil {
		return records.WithHistory{}, err
	}
	return b.History(ctx, id)
}

func (l *localRecords) Edit(ctx context.Context, id string, answers []byte) (records.Record, error) {
	a, err := records.ParseAnswers(answers)
	if err != nil {
		return records.Record{}, err
	}
	b, err := l.open()
	if err != nil {
		return records.Record{}, err
	}
	rec, err := b.Edit(ctx, id, a)
	return rec, l.failed(err)
}

func (l *localRecords) Delete(ctx context.Context, id string) (records.Record, error) {
	b, err := l.open()
	if err != nil {
		return records.Record{}, err
	}
	return b.Delete(ctx, id)
}

func (l *localRecords) Purge(ctx context.Context, id, by string) (records.Record, error) {
	b, err := l.open()
	if err != nil {
		return records.Record{}, err
	}
	rec, err := b.Purge(ctx, id, by)
	return rec, l.failed(err)
}

func (l *localRecords) Expired(ctx context.Context, years int) ([]records.Summary, error) {
	b, err := l.open()
	if err != nil {
		return nil, err
	}
	out, err := b.Expired(ctx, years, time.Now())
	return out, l.failed(err)
}

func (l *localRecords) PurgeExpired(ctx context.Context, years int, by string) ([]string, error) {
	b, err := l.open()
	if err != nil {
		return nil, err
	}
	out, err := b.PurgeExpired(ctx, years, time.Now(), by)
	return out, l.failed(err)
}

func (l *localRecords) Export(ctx context.Context, w io.Writer, f records.Filter, opts records.ExportOptions) (int, error) {
	b, err := l.open()
	if err != nil {
		return 0, err
	}
	n, err := b.ExportWith(ctx, w, f, opts)
	return n, l.failed(err)
}

func (l *localRecords) Close() error {
	errs := []error{l.forms.close()}
	if l.st != nil {
		errs = append(errs, l.st.Close())
	}
	return errors.Join(errs...)
}

// lazyForms is a records.Forms that starts plugin hosts when first
// asked about a form: the built-in plugin of the form's country (and the
// plugins directory), or every plugin when all forms are wanted.
type lazyForms struct {
	ctx context.Context
	cfg config.Config
	log *slog.Logger

	mu    sync.Mutex
	all   bool
	hosts map[string]*host.Host // by scope: a built-in country, "" for external plugins only, "*" for all
	err   error
}

var _ records.Forms = (*lazyForms)(nil)

// wantAll makes Forms list every plugin's forms.
func (l *lazyForms) wantAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = true
}

func (l *lazyForms) startErr() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// host returns the host of scope, starting it if needed.
func (l *lazyForms) host(scope string) *host.Host {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h, ok := l.hosts["*"]; ok {
		return h
	}
	if h, ok := l.hosts[scope]; ok {
		return h
	}
	var countries []string // nil: every built-in
	if scope != "*" {
		countries = []string{}
		if scope != "" {
			countries = []string{scope}
		}
	}
	h, err := node.StartPlugins(l.ctx, l.cfg, "", countries, l.log)
	if err != nil {
		l.err = err
		return nil
	}
	if l.hosts == nil {
		l.hosts = map[string]*host.Host{}
	}
	l.hosts[scope] = h
	return h
}

// scope is the host scope that serves form id: its country if built in.
func scope(id string) string {
	cc, _, _ := strings.Cut(id, ".")
	if slices.Contains(host.BuiltInCountries(), cc) {
		return cc
	}
	return ""
}

func (l *lazyForms) Forms() []sdk.FormInfo {
	l.mu.Lock()
	all := l.all
	l.mu.Unlock()
	if all {
		if h := l.host("*"); h != nil {
			return h.Forms()
		}
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []sdk.FormInfo
	for _, h := range l.hosts {
		out = append(out, h.Forms()...)
	}
	slices.SortFunc(out, func(a, b sdk.FormInfo) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
	return out
}

func (l *lazyForms) Form(id string, version int) (sdk.FormInfo, bool) {
	if h := l.host(scope(id)); h != nil {
		return h.Form(id, version)
	}
	return sdk.FormInfo{}, false
}

func (l *lazyForms) Latest(id string) (sdk.FormInfo, bool) {
	if h := l.host(scope(id)); h != nil {
		return h.Latest(id)
	}
	return sdk.FormInfo{}, false
}

func (l *lazyForms) Check(ctx context.Context, id string, version int, answers []sdk.Answers) ([]sdk.Result, error) {
	h := l.host(scope(id))
	if h == nil {
		return nil, l.startErr()
	}
	return h.Check(ctx, id, version, answers)
}

func (l *lazyForms) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	for _, h := range l.hosts {
		errs = append(errs, h.Close())
	}
	return errors.Join(errs...)
}
