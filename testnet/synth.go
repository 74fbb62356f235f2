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

// Synthesize makes answers to form from its schema alone: a value of the
// right type for every required field and for most optional ones. Private
// fields (personal, free text) get obviously synthetic values. The answers
// may still break a cross-field rule; SeedNode checks them with the form
// and mends them.
func Synthesize(form sdk.FormInfo, rng *rand.Rand, now time.Time) sdk.Answers {
	a := sdk.Answers{}
	for _, f := range form.Fields {
		if !f.Required && (f.Private() || rng.IntN(4) == 0) {
			continue
		}
		a[f.ID] = synthValue(f, rng, now)
	}
	return a
}

func synthValue(f sdk.Field, rng *rand.Rand, now time.Time) any {
	switch f.Type {
	case sdk.TypeChoice:
		if len(f.Options) == 0 {
			return nil
		}
		return f.Options[rng.IntN(len(f.Options))].Value
	case sdk.TypeSet:
		var vals []any
		for _, o := range f.Options {
			if rng.IntN(3) == 0 {
				vals = append(vals, o.Value)
			}
		}
		if len(vals) == 0 && len(f.Options) > 0 {
			vals = append(vals, f.Options[0].Value)
		}
		return vals
	case sdk.TypeInt, sdk.TypeNumber:
		lo, hi := 0.0, 20.0
		if f.Min != nil {
			lo = *f.Min
		}
		if f.Max != nil && *f.Max < lo+20 {
			hi = *f.Max
		} else {
			hi = lo + 20
		}
		return float64(int(lo) + rng.IntN(int(hi-lo)+1))
	case sdk.TypeBool:
		return rng.IntN(2) == 0
	case sdk.TypeDate:
		// In the last three years, never in the future.
		return now.AddDate(0, 0, -rng.IntN(3*365)-1).Format(sdk.DateLayout)
	case sdk.TypeText:
		return "synthetic test record"
	default: // sdk.TypeString
		// Unique enough that case numbers do not repeat in a large import.
		return fmt.Sprintf("T-%08x", rng.Uint32())
	}
}

// SeedNode enters n synthetic records on node's own country's judgment
// form (and, where the country has them, its other forms in turn). A node
// whose country has no forms gets none. It returns how many it entered.
func SeedNode(ctx context.Context, nd *node.Node, n int, seed uint64) (int, error) {
	book, plugins := nd.Records(), nd.Plugins()
	if book == nil || plugins == nil {
		return 0, fmt.Errorf("testnet: node %s has no records service", nd.PeerID())
	}
	cc := strings.ToLower(nd.Config().Node.Country)
	var forms []sdk.FormInfo
	for _, k := range sdk.Kinds {
		if fi, ok := plugins.Latest(cc + "." + string(k)); ok {
			forms = append(forms, fi)
		}
	}
	if len(forms) == 0 {
		return 0, nil
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	now := time.Now()
	added := 0
	for i := range n {
		// Judgments are what the network collects most (at least 10 per
		// country per period): every other record is one.
		fi := forms[0]
		if i%2 == 1 {
			fi = forms[1+rng.IntN(len(forms)-1)%max(1, len(forms)-1)]
		}
		a, err := mend(ctx, plugins, fi, Synthesize(fi, rng, now), rng, now)
		if err != nil {
			return added, err
		}
		if _, err := book.Add(ctx, fi.Ref(), a); err != nil {
			return added, fmt.Errorf("testnet: seed %s: %w", fi.Ref(), err)
		}
		added++
	}
	return added, nil
}

// checker is what mend needs of the plugin host.
type checker interface {
	Check(ctx context.Context, id string, version int, answers []sdk.Answers) ([]sdk.Result, error)
}

// mend checks answers with the form and fixes what it refuses: an
// optional answer is dropped, a required one drawn again.
func mend(ctx context.Context, c checker, fi sdk.FormInfo, a sdk.Answers, rng *rand.Rand, now time.Time) (sdk.Answers, error) {
	fields := map[string]sdk.Field{}
	for _, f := range fi.Fields {
		fields[f.ID] = f
	}
	var last []sdk.FieldError
	for range 50 {
		res, err := c.Check(ctx, fi.ID, fi.Version, []sdk.Answers{a})
		if err != nil {
			return nil, fmt.Errorf("testnet: check synthetic %s: %w", fi.Ref(), err)
		}
		if res[0].Valid() {
			return a, nil
		}
		last = res[0].Errors
		for _, fe := range res[0].Errors {
			f, ok := fields[fe.Field]
			switch {
			case !ok || f.Type == sdk.TypeDate:
				// Dates are ordered by rules (a decision follows the
				// indictment): draw them again in the form's order.
				orderDates(fi, a, rng, now)
			case f.Required:
				a[f.ID] = synthValue(f, rng, now)
			default:
				delete(a, f.ID)
			}
		}
	}
	return nil, fmt.Errorf("testnet: could not make a valid synthetic %s: %v", fi.Ref(), last)
}

// orderDates draws the record's dates again, each later than the one
// before it in the form's order, none in the future.
func orderDates(fi sdk.FormInfo, a sdk.Answers, rng *rand.Rand, now time.Time) {
	var ids []string
	for _, f := range fi.Fields {
		if _, set := a[f.ID]; set && f.Type == sdk.TypeDate {
			ids = append(ids, f.ID)
		}
	}
	day := now.AddDate(-3, 0, 0)
	for _, id := range ids {
		left := int(now.Sub(day).Hours()/24) / (len(ids) + 1)
		day = day.AddDate(0, 0, 1+rng.IntN(max(1, left)))
		a[id] = day.Format(sdk.DateLayout)
	}
}

// SeedCanaries enters n synthetic records on node's own country's forms,
// as SeedNode does, with canary written into every personal or free-text
// answer that holds text (suffixed with the field's id, so a leak says
// which field leaked). It returns the records entered and the canaries
// they hold.
func SeedCanaries(ctx context.Context, nd *node.Node, n int, seed uint64, canary string) (recs, canaries int, err error) {
	book, plugins := nd.Records(), nd.Plugins()
	if book == nil || plugins == nil {
		return 0, 0, fmt.Errorf("testnet: node %s has no records service", nd.PeerID())
	}
	cc := strings.ToLower(nd.Config().Node.Country)
	rng := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
	now := time.Now()
	for i := range n {
		k := sdk.Kinds[i%len(sdk.Kinds)]
		fi, ok := plugins.Latest(cc + "." + string(k))
		if !ok {
			continue
		}
		a := Synthesize(fi, rng, now)
		for _, f := range fi.Fields {
			if f.Private() && (f.Type == sdk.TypeString || f.Type == sdk.TypeText) && len(f.Options) == 0 {
				a[f.ID] = canary + "-" + f.ID
			}
		}
		a, err := mend(ctx, plugins, fi, a, rng, now)
		if err != nil {
			return recs, canaries, err
		}
		for _, v := range a {
			if s, ok := v.(string); ok && strings.HasPrefix(s, canary) {
				canaries++
			}
		}
		if _, err := book.Add(ctx, fi.Ref(), a); err != nil {
			return recs, canaries, fmt.Errorf("testnet: seed %s: %w", fi.Ref(), err)
		}
		recs++
	}
	return recs, canaries, nil
}

// SeedBulk enters n synthetic records of kind on node's own country's
// latest form of that kind, fast: the answers are made, checked with the
// form in batches and mended where refused, then imported as one JSON
// Lines import (all or nothing), as a monitor's spreadsheet would be. It
// returns how many it entered (0 when the country has no such form).
func SeedBulk(ctx context.Context, nd *node.Node, kind sdk.Kind, n int, seed uint64) (int, error) {
	book, plugins := nd.Records(), nd.Plugins()
	if book == nil || plugins == nil {
		return 0, fmt.Errorf("testnet: node %s has no records service", nd.PeerID())
	}
	fi, ok := plugins.Latest(strings.ToLower(nd.Config().Node.Country) + "." + string(kind))
	if !ok || n <= 0 {
		return 0, nil
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x2545f4914f6cdd1d))
	now := time.Now()
	rows := make([]sdk.Answers, n)
	for i := range rows {
		rows[i] = Synthesize(fi, rng, now)
		orderDates(fi, rows[i], rng, now)
	}
	const batch = 1024
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		res, err := plugins.Check(ctx, fi.ID, fi.Version, rows[start:end])
		if err != nil {
			return 0, fmt.Errorf("testnet: check synthetic %s: %w", fi.Ref(), err)
		}
		for i, r := range res {
			if r.Valid() {
				continue
			}
			if rows[start+i], err = mend(ctx, plugins, fi, rows[start+i], rng, now); err != nil {
				return 0, err
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, a := range rows {
		if err := enc.Encode(a); err != nil {
			return 0, err
		}
	}
	res, err := book.Import(ctx, &buf, records.ImportOptions{Form: fi.Ref(), Format: records.FormatJSONL, AllowDuplicates: true})
	if err != nil {
		return 0, fmt.Errorf("testnet: import synthetic %s: %w", fi.Ref(), err)
	}
	return res.Records, nil
}
