package testnet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// RealisticOptions say how many realistic records SeedRealistic enters.
type RealisticOptions struct {
	// Judgments per node (default 100); the other kinds follow in
	// proportion (Profile).
	Judgments int
	// Seed makes the records: the same seed, the same records.
	Seed uint64
	// From and To bound the records' event dates (default 2015-01-01 to
	// 2016-12-31, the strategy's second phase).
	From, To time.Time
}

// DefaultJudgments is the judgments per node of `kolo testnet`.
const DefaultJudgments = 100

func (o RealisticOptions) withDefaults() RealisticOptions {
	if o.Judgments <= 0 {
		o.Judgments = DefaultJudgments
	}
	if o.From.IsZero() {
		o.From = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.To.IsZero() {
		o.To = time.Date(2016, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return o
}

// Truth is the ground truth of the records SeedRealistic entered on one
// node: every record's common indicators exactly as the country's form
// mapped them when the generator checked it, before the node stored it.
// Tests compute the figures a query should give from it, without the
// node's query engine.
type Truth struct {
	Country string
	Records []TruthRecord
}

// TruthRecord is one record of the ground truth.
type TruthRecord struct {
	Kind   sdk.Kind
	Sub    string // sub-jurisdiction, in Bosnia and Herzegovina
	Common sdk.Common
}

// SeedRealistic enters realistic synthetic records on node's own
// country's latest forms of every kind, drawn from the country's Profile,
// one JSON Lines import per kind (all or nothing, as a monitor's
// spreadsheet). A node whose country has no Profile or no forms gets
// none. It returns the records' ground truth.
func SeedRealistic(ctx context.Context, nd *node.Node, opts RealisticOptions) (Truth, error) {
	opts = opts.withDefaults()
	country := nd.Config().Node.Country
	truth := Truth{Country: country}
	prof, ok := Profiles[country]
	book, plugins := nd.Records(), nd.Plugins()
	if !ok || book == nil || plugins == nil {
		return truth, nil
	}
	seed := opts.Seed
	rng := rand.New(rand.NewPCG(seed, seed^0x6a09e667f3bcc908))
	d := &drawer{p: prof, rng: rng, from: opts.From, to: opts.To}
	n := opts.Judgments
	kinds := []struct {
		kind   sdk.Kind
		drafts []draft
	}{
		{sdk.KindJudgment, d.judgments(n)},
		{sdk.KindTrialHearing, d.hearings(n, prof.Courts)},
		{sdk.KindPoliceCase, d.policeCases(max(1, n/2))},
		{sdk.KindVictimSupport, d.support(max(1, n/2))},
		{sdk.KindLegislation, d.legislation(max(1, n/6), prof.Acts)},
		{sdk.KindEngagement, d.meetings(max(1, n/12))},
	}
	now := time.Now()
	for _, k := range kinds {
		fi, ok := plugins.Latest(strings.ToLower(country) + "." + string(k.kind))
		if !ok {
			continue
		}
		plan, err := newFormPlan(ctx, plugins, fi, k.drafts, rng, now)
		if err != nil {
			return truth, err
		}
		rows := make([]sdk.Answers, len(k.drafts))
		for i, dr := range k.drafts {
			rows[i] = plan.render(dr, rng, now)
		}
		commons, err := checkRows(ctx, plugins, fi, rows, rng, now)
		if err != nil {
			return truth, err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for i, a := range rows {
			if err := enc.Encode(a); err != nil {
				return truth, err
			}
			sub, _ := a[sdk.FieldSubJurisdiction].(string)
			truth.Records = append(truth.Records, TruthRecord{Kind: k.kind, Sub: sub, Common: commons[i]})
		}
		res, err := book.Import(ctx, &buf, records.ImportOptions{Form: fi.Ref(), Format: records.FormatJSONL})
		if err != nil {
			return truth, fmt.Errorf("testnet: import realistic %s: %w", fi.Ref(), err)
		}
		if res.Records != len(rows) {
			return truth, fmt.Errorf("testnet: import realistic %s: %d of %d records stored", fi.Ref(), res.Records, len(rows))
		}
	}
	return truth, nil
}

// checkRows checks rows with the form, mends the few it refuses (a rule
// the drawing did not foresee), and returns each row's indicators as the
// form maps them.
func checkRows(ctx context.Context, c checker, fi sdk.FormInfo, rows []sdk.Answers, rng *rand.Rand, now time.Time) ([]sdk.Common, error) {
	out := make([]sdk.Common, len(rows))
	const batch = 1024
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		res, err := c.Check(ctx, fi.ID, fi.Version, rows[start:end])
		if err != nil {
			return nil, fmt.Errorf("testnet: check realistic %s: %w", fi.Ref(), err)
		}
		for i, r := range res {
			if r.Valid() {
				out[start+i] = r.Common
				continue
			}
			a, err := mend(ctx, c, fi, rows[start+i], rng, now)
			if err != nil {
				return nil, err
			}
			again, err := c.Check(ctx, fi.ID, fi.Version, []sdk.Answers{a})
			if err != nil {
				return nil, fmt.Errorf("testnet: check realistic %s: %w", fi.Ref(), err)
			}
			rows[start+i], out[start+i] = a, again[0].Common
		}
	}
	return out, nil
}
