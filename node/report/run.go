package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/protocol"
)

// Network is what Run needs of the asking node (a *node.Node wired in
// node/report.go).
type Network interface {
	// Ask asks the network a query, as `kolo query` does.
	Ask(ctx context.Context, text string, opts federation.AskOptions) (protocol.Query, error)
	// Wait returns a query's status once every member answered or the
	// query closed.
	Wait(ctx context.Context, id string) (federation.Status, error)
	// Declaration is the node's own count of the Declaration's
	// endorsements.
	Declaration(ctx context.Context) (declaration.Status, error)
	// Self is the asking member and the network's name.
	Self(ctx context.Context) (Member, string, error)
}

// Options say how Run asks.
type Options struct {
	// Period bounds the records' event dates; nil means every record.
	Period *Period
	// Wait is how long each query stays open, and the longest Run waits
	// for the members' answers (federation.DefaultWait if 0): a member
	// that has not answered by then is named in the coverage.
	Wait time.Duration
	// Progress, if set, is called as queries are asked and answered.
	Progress func(Progress)
	// Now is the clock of the report's date (time.Now if nil).
	Now func() time.Time
	// Specs are the figures to ask for; nil means Catalogue.
	Specs []Spec
}

// Progress says how far a report's queries got.
type Progress struct {
	Queries  int `json:"queries"`
	Asked    int `json:"asked"`
	Answered int `json:"answered"` // queries every member answered, or closed
}

// Run asks the report's queries from net, waits for the answers and
// builds the report. The queries are asked one after the other, in the
// catalogue's order, so that members answer them in that order, then
// waited for.
func Run(ctx context.Context, net Network, opts Options) (*Report, error) {
	if opts.Wait == 0 {
		opts.Wait = federation.DefaultWait
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	specs := opts.Specs
	if specs == nil {
		specs = catalogue
	}
	progress := func(p Progress) {
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	self, netName, err := net.Self(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	decl, err := net.Declaration(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: the Declaration's endorsements: %w", err)
	}
	p := Progress{Queries: len(specs)}
	progress(p)
	ids := make([]string, len(specs))
	for i, s := range specs {
		q, err := net.Ask(ctx, s.Text(opts.Period), federation.AskOptions{Wait: opts.Wait})
		if errors.Is(err, federation.ErrLimit) {
			return nil, fmt.Errorf("report: figure %s: %w; the queries of an earlier report are still open: wait until they close (--wait) and ask again", s.ID, err)
		}
		if err != nil {
			return nil, fmt.Errorf("report: figure %s: %w", s.ID, err)
		}
		ids[i] = q.ID
		p.Asked++
		progress(p)
	}
	// The answers are waited for in the order asked: answers to later
	// queries arrive meanwhile and are combined once, when their turn
	// comes, rather than again at every answer (federation.Wait computes
	// the whole status each time an answer to its query arrives).
	statuses := make([]federation.Status, len(specs))
	wctx, cancel := context.WithTimeout(ctx, opts.Wait+10*time.Second)
	defer cancel()
	for i, id := range ids {
		st, err := net.Wait(wctx, id)
		if err != nil {
			return nil, fmt.Errorf("report: figure %s: %w", specs[i].ID, err)
		}
		statuses[i] = st
		p.Answered++
		progress(p)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return Build(Input{Generated: opts.Now(), Period: opts.Period, Network: netName, Asker: self,
		Specs: specs, Statuses: statuses, Declaration: decl})
}
