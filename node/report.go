package node

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/node/report"
	"github.com/kolo-net/kolo/protocol"
)

// Report asks the regional report's queries from this node and builds
// the report (node/report), as `kolo report` does through the API.
func (n *Node) Report(ctx context.Context, opts report.Options) (*report.Report, error) {
	return report.Run(ctx, reportNetwork{n}, opts)
}

// reportNetwork is this node as node/report asks through it.
type reportNetwork struct{ n *Node }

func (r reportNetwork) Ask(ctx context.Context, text string, opts federation.AskOptions) (protocol.Query, error) {
	return r.n.Ask(ctx, text, opts)
}

func (r reportNetwork) Wait(ctx context.Context, id string) (federation.Status, error) {
	return r.n.fed.Wait(ctx, id)
}

func (r reportNetwork) Declaration(context.Context) (declaration.Status, error) {
	return r.n.DeclarationStatus()
}

func (r reportNetwork) Self(context.Context) (report.Member, string, error) {
	info, ok := r.n.Network()
	if !ok {
		return report.Member{}, "", membership.ErrNoNetwork
	}
	c := r.n.cfg.Node
	return report.Member{Org: c.Org, Country: c.Country, Peer: r.n.peerID.String()}, info.Name, nil
}

// reportRoutes registers the report endpoints of the local API: POST
// starts a report in the background, GET ?wait=D returns its progress,
// and the report once done. The evidence is fetched per query from GET
// /v1/queries/{id}/evidence.
func (n *Node) reportRoutes() {
	n.reports = report.NewJobs()
	n.api.HandleJSON("POST /v1/reports", func(r *http.Request) (any, error) {
		var in struct {
			Period string `json:"period"` // "2015-01..2016-12", "" for every record
			Wait   string `json:"wait"`   // how long the queries stay open ("" for the default)
		}
		if err := decodeBody(r, &in); err != nil {
			return nil, err
		}
		var opts report.Options
		if in.Period != "" {
			p, err := report.ParsePeriod(in.Period)
			if err != nil {
				return nil, api.BadRequest(err)
			}
			opts.Period = p
		}
		if in.Wait != "" {
			d, err := time.ParseDuration(in.Wait)
			if err != nil || d < federation.MinWait || d > protocol.MaxQueryLifetime {
				return nil, api.BadRequest(fmt.Errorf("wait %q: give a duration between %s and %s, such as 2m", in.Wait, federation.MinWait, protocol.MaxQueryLifetime))
			}
			opts.Wait = d
		}
		if _, ok := n.Network(); !ok {
			return nil, api.BadRequest(membership.ErrNoNetwork)
		}
		id, err := n.reports.Start(func(ctx context.Context, progress func(report.Progress)) (*report.Report, error) {
			opts.Progress = progress
			return n.Report(ctx, opts)
		})
		if errors.Is(err, report.ErrBusy) {
			return nil, &api.Error{Code: http.StatusConflict, Err: err}
		}
		return map[string]string{"id": id}, err
	})
	n.api.HandleJSON("GET /v1/reports/{id}", func(r *http.Request) (any, error) {
		var wait time.Duration
		if w := r.URL.Query().Get("wait"); w != "" {
			d, err := time.ParseDuration(w)
			if err != nil || d < 0 {
				return nil, api.BadRequest(fmt.Errorf("wait %q: give a duration such as 2s", w))
			}
			wait = min(d, maxQueryWait)
		}
		st, err := n.reports.Get(r.Context(), r.PathValue("id"), wait)
		if errors.Is(err, report.ErrNoSuchJob) {
			return nil, api.NotFound(err)
		}
		return st, err
	})
}
