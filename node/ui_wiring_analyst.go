package node

import (
	"context"
	"time"

	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/report"
	"github.com/kolo-net/kolo/node/ui"
)

// The analysis pages of the web interface (node/ui's Analyst): the same
// methods the JSON API's query and report handlers call (queries.go,
// report.go).

func (b uiBackend) AskQuery(ctx context.Context, text string, wait time.Duration, epsilon float64) (string, error) {
	q, err := b.n.Ask(ctx, text, federation.AskOptions{Wait: wait, Epsilon: epsilon})
	if err != nil {
		return "", err
	}
	return q.ID, nil
}

func (b uiBackend) QueryList(ctx context.Context) ([]federation.Status, error) {
	return b.n.Queries(ctx)
}

func (b uiBackend) QueryStatus(ctx context.Context, id string) (federation.Status, error) {
	return b.n.QueryStatus(ctx, id, 0)
}

func (b uiBackend) QueryPolicy(context.Context) ui.QueryPolicy {
	nz := b.n.cfg.Query.Noise
	return ui.QueryPolicy{Noise: nz.Mode, MaxEpsilon: nz.MaxEpsilon}
}

func (b uiBackend) StartReport(_ context.Context, period string, wait time.Duration) (string, error) {
	return b.n.StartReport(period, wait)
}

func (b uiBackend) ReportJob(ctx context.Context, id string) (report.JobState, error) {
	return b.n.ReportJob(ctx, id, 0)
}
