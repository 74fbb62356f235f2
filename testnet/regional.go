package testnet

import (
	"context"
	"log/slog"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/protocol"
	"golang.org/x/sync/errgroup"
)

// PartnerCountries are the countries whose forms kolo ships: a regional
// network's partner nodes take them in turn.
var PartnerCountries = []string{"RS", "HR", "BA", "MK"}

// AnalystCountry is the country of a regional network's analyst: an EU
// partner of the strategy (France or the Netherlands).
const AnalystCountry = "FR"

// RegionalOptions describe the network `kolo testnet` runs: partner nodes
// of the four countries with realistic records, and an analyst.
type RegionalOptions struct {
	Dir string
	// Partners is the number of partner nodes (default 4); the analyst is
	// one more, the last.
	Partners int
	// Records say how many realistic records each partner enters, from
	// which seed (each partner i uses Seed + i).
	Records   RealisticOptions
	Logger    *slog.Logger
	Node      node.Options
	Configure func(i int, c *config.Config)
}

// Regional is a running regional network.
type Regional struct {
	*Net
	// Analyst is the index of the analyst's node.
	Analyst int
	// New is set when this start founded the network; Truth then holds,
	// per partner node, the ground truth of the records it entered (nil
	// for a network started again from its homes, which keeps its
	// records).
	New   bool
	Truth []Truth
}

// StartRegional starts the partner nodes and the analyst, forms the
// network (the analyst invited with the analyst role), and, for a new
// network, has every organisation endorse the Declaration and every
// partner enter its realistic records.
func StartRegional(ctx context.Context, o RegionalOptions) (*Regional, error) {
	if o.Partners <= 0 {
		o.Partners = len(PartnerCountries)
	}
	n := o.Partners
	countries := make([]string, n+1)
	for i := range n {
		countries[i] = PartnerCountries[i%len(PartnerCountries)]
	}
	countries[n] = AnalystCountry
	net, err := Start(ctx, Options{N: n + 1, Dir: o.Dir, Logger: o.Logger, Node: o.Node, Configure: o.Configure,
		Roles: map[int][]protocol.Role{n: {protocol.RoleAnalyst}}, Countries: countries})
	if err != nil {
		return nil, err
	}
	r := &Regional{Net: net, Analyst: n}
	_, existing := net.Node(0).Network()
	fail := func(err error) (*Regional, error) {
		net.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := net.Form(ctx); err != nil {
		return fail(err)
	}
	if existing {
		return r, nil
	}
	r.New = true
	if err := net.EndorseAll(ctx); err != nil {
		return fail(err)
	}
	r.Truth = make([]Truth, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i := range n {
		g.Go(func() error {
			opts := o.Records
			opts.Seed += uint64(i)
			t, err := SeedRealistic(gctx, net.Node(i), opts)
			r.Truth[i] = t
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return fail(err)
	}
	return r, nil
}
