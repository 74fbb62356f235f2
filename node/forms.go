package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/host"
)

// formsPart is the node's country forms and monitoring records.
type formsPart struct {
	plugins *host.Host
	records *records.Book
}

// The plugin host is what the records service checks records with.
var _ records.Forms = (*host.Host)(nil)

// startForms starts the form plugins and the records service.
func (n *Node) startForms(ctx context.Context) error {
	h, err := StartPlugins(ctx, n.cfg, n.opts.FormsExecutable, n.opts.BuiltInForms, n.log)
	if err != nil {
		return err
	}
	b, err := openBook(ctx, n.store, h, n.peerID, n.log) // as the commands do without a daemon (offline.go)
	if err != nil {
		h.Close()
		return err
	}
	n.plugins, n.records = h, b
	return nil
}

// StartPlugins starts the plugin host as the node does: the built-in
// forms of countries (nil for all, empty for none), served by executable
// ("" for this one), and the plugins of the configured directory. The
// commands reach it through OpenOffline when no daemon runs.
func StartPlugins(ctx context.Context, cfg config.Config, executable string, countries []string, log *slog.Logger) (*host.Host, error) {
	h, err := host.New(host.Options{
		Executable:  executable,
		BuiltIn:     countries,
		Dir:         cfg.PluginsDir(),
		CallTimeout: cfg.Plugins.CallTimeout,
		Logger:      log.With("component", "plugins"),
	})
	if err != nil {
		return nil, fmt.Errorf("form plugins: %w", err)
	}
	if err := h.Start(ctx); err != nil {
		return nil, fmt.Errorf("form plugins: %w", err)
	}
	return h, nil
}

// Records is the node's book of monitoring records (nil before Start).
func (n *Node) Records() *records.Book { return n.records }

// Plugins is the node's form plugin host (nil before Start).
func (n *Node) Plugins() *host.Host { return n.plugins }

// formsRoutes registers the forms and records endpoints of the local API.
func (n *Node) formsRoutes() {
	b := n.records
	n.api.HandleJSON("GET /v1/forms", func(*http.Request) (any, error) { return b.Forms(), nil })
	n.api.HandleJSON("GET /v1/forms/{id}", func(r *http.Request) (any, error) {
		ref := r.PathValue("id")
		if v := r.URL.Query().Get("version"); v != "" {
			ref += "@" + v
		}
		fi, err := b.Form(ref)
		return fi, recordsError(err)
	})
	n.api.HandleJSON("POST /v1/records", func(r *http.Request) (any, error) {
		a, err := records.ReadAnswers(r.Body)
		if err != nil {
			return nil, recordsError(err)
		}
		rec, err := b.Add(r.Context(), r.URL.Query().Get("form"), a)
		return rec, recordsError(err)
	})
	n.api.HandleJSON("POST /v1/records/import", func(r *http.Request) (any, error) {
		q := r.URL.Query()
		format, err := records.ParseFormat(q.Get("format"), false)
		if err != nil {
			return nil, recordsError(err)
		}
		res, err := b.Import(r.Context(), r.Body, records.ImportOptionsFromQuery(q, format))
		return res, recordsError(err)
	})
	n.api.HandleJSON("GET /v1/records", func(r *http.Request) (any, error) {
		f, err := records.FilterFromQuery(r.URL.Query())
		if err != nil {
			return nil, recordsError(err)
		}
		l, err := b.List(r.Context(), f)
		return l, recordsError(err)
	})
	n.api.HandleJSON("GET /v1/records/export", func(r *http.Request) (any, error) {
		q := r.URL.Query()
		format, err := records.ParseFormat(q.Get("format"), true)
		if err != nil {
			return nil, recordsError(err)
		}
		f, err := records.FilterFromQuery(q)
		if err != nil {
			return nil, recordsError(err)
		}
		dialect, err := records.ParseDialect(q.Get("dialect"))
		if err != nil {
			return nil, recordsError(err)
		}
		var buf bytes.Buffer
		count, err := b.ExportWith(r.Context(), &buf, f, records.ExportOptions{Format: format, Dialect: dialect})
		if err != nil {
			return nil, recordsError(err)
		}
		return records.ExportFile{Format: format, Records: count, Content: buf.String()}, nil
	})
	n.api.HandleJSON("GET /v1/records/{id}", func(r *http.Request) (any, error) {
		h, err := b.History(r.Context(), r.PathValue("id"))
		return h, recordsError(err)
	})
	n.api.HandleJSON("PUT /v1/records/{id}", func(r *http.Request) (any, error) {
		a, err := records.ReadAnswers(r.Body)
		if err != nil {
			return nil, recordsError(err)
		}
		rec, err := b.Edit(r.Context(), r.PathValue("id"), a)
		return rec, recordsError(err)
	})
	n.api.HandleJSON("DELETE /v1/records/{id}", func(r *http.Request) (any, error) {
		rec, err := b.Delete(r.Context(), r.PathValue("id"))
		return rec, recordsError(err)
	})
	n.api.HandleJSON("POST /v1/records/{id}/purge", func(r *http.Request) (any, error) {
		rec, err := b.Purge(r.Context(), r.PathValue("id"), r.URL.Query().Get("by"))
		return rec, recordsError(err)
	})
	n.api.HandleJSON("GET /v1/records/expired", func(r *http.Request) (any, error) {
		years, err := strconv.Atoi(r.URL.Query().Get("years"))
		if err != nil {
			return nil, api.BadRequest(fmt.Errorf("years: must be a whole number of years"))
		}
		l, err := b.Expired(r.Context(), years, time.Now())
		return l, recordsError(err)
	})
	n.api.HandleJSON("POST /v1/records/expired/purge", func(r *http.Request) (any, error) {
		q := r.URL.Query()
		years, err := strconv.Atoi(q.Get("years"))
		if err != nil {
			return nil, api.BadRequest(fmt.Errorf("years: must be a whole number of years"))
		}
		ids, err := b.PurgeExpired(r.Context(), years, time.Now(), q.Get("by"))
		return ids, recordsError(err)
	})
}

// retention applies the records.retention_years rule at start and then
// daily until ctx ends (records.Book.Retain: a dry run first, in the log).
func (n *Node) retention(ctx context.Context) {
	years := n.cfg.Records.RetentionYears
	if years == 0 || n.records == nil {
		return
	}
	for {
		ids, dry, err := n.records.Retain(ctx, years, time.Now())
		switch {
		case err != nil:
			n.log.Error("retention rule", "years", years, "error", err)
		case dry && len(ids) > 0:
			n.log.Warn("retention rule, dry run: these records' personal and free-text answers will be purged from tomorrow on (kolo record purge --expired --dry-run lists them)",
				"years", years, "records", len(ids), "ids", ids)
		case len(ids) > 0:
			n.log.Info("retention rule purged the personal and free-text answers of records", "years", years, "records", len(ids), "ids", ids)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}

// recordsError gives a records error its HTTP status: 400 for bad input,
// 404 for a missing record, 409 for a deleted or concurrently changed one,
// 413 for a body over the API's cap.
func recordsError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, records.ErrInvalid):
		return api.BadRequest(err)
	case errors.Is(err, records.ErrNotFound):
		return api.NotFound(err)
	case errors.Is(err, records.ErrDeleted), errors.Is(err, records.ErrChanged):
		return &api.Error{Code: http.StatusConflict, Err: err}
	case errors.As(err, &tooBig):
		return &api.Error{Code: http.StatusRequestEntityTooLarge,
			Err: fmt.Errorf("the file is larger than %d MiB, the most one request carries: split it into several files", tooBig.Limit>>20)}
	}
	return storeError(err)
}

// closeForms stops the form plugins.
func (n *Node) closeForms() error {
	if n.plugins == nil {
		return nil
	}
	return n.plugins.Close()
}
