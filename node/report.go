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
		var wait time.Duration
		if in.Wait != "" {
			d, err := time.ParseDuration(in.Wait)
			if err != nil || d == 0 {
				return nil, api.BadRequest(fmt.Errorf("wait %q: give a duration between %s and %s, such as 2m", in.Wait, federation.MinWait, protocol.MaxQueryLifetime))
			}
			wait = d
		}
		id, err := n.StartReport(in.Period, wait)
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": id}, nil
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
		st, err := n.ReportJob(r.Context(), r.PathValue("id"), wait)
		if errors.Is(err, report.ErrNoSuchJob) {
			return nil, api.NotFound(err)
		}
		return st, err
	})
}

// StartReport is `kolo report`: it starts making the regional report in
// the background, over the records of period ("2015-01..2016-12"; "" for
// every record), each query open for wait (0: the default), and returns
// the job's id for ReportJob. Bad input is an api.BadRequest naming it;
// a report already being made, a 409.
func (n *Node) StartReport(period string, wait time.Duration) (string, error) {
	var opts report.Options
	if period != "" {
		p, err := report.ParsePeriod(period)
		if err != nil {
			return "", api.BadRequest(err)
		}
		opts.Period = p
	}
	if wait != 0 && (wait < federation.MinWait || wait > protocol.MaxQueryLifetime) {
		return "", api.BadRequest(fmt.Errorf("wait %s: give a duration between %s and %s, such as 2m", wait, federation.MinWait, protocol.MaxQueryLifetime))
	}
	opts.Wait = wait
	if _, ok := n.Network(); !ok {
		return "", api.BadRequest(membership.ErrNoNetwork)
	}
	id, err := n.reports.Start(func(ctx context.Context, progress func(report.Progress)) (*report.Report, error) {
		opts.Progress = progress
		return n.Report(ctx, opts)
	})
	if errors.Is(err, report.ErrBusy) {
		return "", &api.Error{Code: http.StatusConflict, Err: err}
	}
	return id, err
}

// ReportJob returns report job id's progress, and the report once done,
// first waiting up to wait (at most maxQueryWait) for it to change.
func (n *Node) ReportJob(ctx context.Context, id string, wait time.Duration) (report.JobState, error) {
	return n.reports.Get(ctx, id, min(wait, maxQueryWait))
}
