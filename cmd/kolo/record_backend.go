package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// recordsBackend is what the forms and record commands work with: the
// running daemon's API (daemonRecords), or, when no daemon runs, the home
// opened by node's offline path (node.Offline), which opens the store and
// starts the plugins a command needs. Both end in the same records.Book.
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
		o, err := openOffline(ctx, cfg, stderr)
		if err != nil {
			return nil, err
		}
		return o, nil
	}
	return nil, err
}

var _ recordsBackend = (*node.Offline)(nil)

// openOffline opens the home through node's offline path, logging
// warnings (or, at log.level debug, everything) to stderr.
func openOffline(ctx context.Context, cfg config.Config, stderr io.Writer) (*node.Offline, error) {
	lvl := slog.LevelWarn
	if cfg.Log.Level == "debug" {
		lvl = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))
	return node.OpenOffline(ctx, cfg, node.OfflineOptions{Logger: log, Passphrase: os.Getenv("KOLO_PASSPHRASE"), Version: version})
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
