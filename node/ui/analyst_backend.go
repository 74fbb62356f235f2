package ui

import (
	"context"
	"time"

	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/report"
)

// Analyst is what the analysis pages need of the node: federated queries
// (kolo query) and the regional report (kolo report).
type Analyst interface {
	// AskQuery checks a query's text, signs it and gives it to the
	// network, open for wait (0: the default); epsilon above 0 asks for
	// noise. It returns the query's id.
	AskQuery(ctx context.Context, text string, wait time.Duration, epsilon float64) (string, error)
	// QueryList lists the queries this node asked, newest first, without
	// figures.
	QueryList(ctx context.Context) ([]federation.Status, error)
	// QueryStatus returns a query this node asked with every member's
	// part and the combined figures.
	QueryStatus(ctx context.Context, id string) (federation.Status, error)
	// QueryPolicy is this node's own query policy, as the builder offers it.
	QueryPolicy(ctx context.Context) QueryPolicy
	// StartReport starts making the regional report over period
	// ("2015-01..2016-12", "" for every record), its queries open for
	// wait (0: the default); it returns the job's id.
	StartReport(ctx context.Context, period string, wait time.Duration) (string, error)
	// ReportJob returns a report job's progress, and the report once done.
	ReportJob(ctx context.Context, id string) (report.JobState, error)
}

// QueryPolicy is what the builder needs of this node's query policy.
type QueryPolicy struct {
	// Noise is this node's noise mode: off, on_request or always. With
	// off, a query that asks for noise is refused here: the builder does
	// not offer ε.
	Noise string
	// MaxEpsilon is the most ε one query may spend here.
	MaxEpsilon float64
}
