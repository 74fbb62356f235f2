package testnet

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// formPlan says how a drawn record is written on one country's form:
// which fields are the indicators themselves, and how the form's own
// fields map onto indicators. The mappings are found by probing the
// form's plugin (Check returns the indicators a record maps onto), not
// written down here, so a country's forms can change, or a country be
// added, without this file knowing its criminal code.
type formPlan struct {
	fi       sdk.FormInfo
	indField map[string]bool // fields that are an indicator of the kind, by name
	subs     []string        // the sub-jurisdictions, if the form asks for one
	choices  []choiceMap
	amounts  map[string]amountMap // EUR indicator → the field asking for it in another currency
}

// choiceMap is a choice field of the form's own (an article of the
// criminal code) and the indicator it maps onto (offence).
type choiceMap struct {
	field    string
	required bool
	target   string                         // "" if it maps onto none
	by       map[string]map[string][]string // sub-jurisdiction → indicator value → options
	valid    map[string][]string            // sub-jurisdiction → options allowed there
}

// amountMap is a number field in another currency: indicator = field / ratio.
type amountMap struct {
	field string
	ratio float64
}

// probeAmount is the value a number field is probed with.
const probeAmount = 1_000_000

// probeBases is how many drawn records the probes start from: several,
// so that a field allowed only for some records (the body that
// identified a victim, only once identified) is probed on one.
const probeBases = 6

// newFormPlan probes form fi through c, starting from records of drafts.
func newFormPlan(ctx context.Context, c checker, fi sdk.FormInfo, drafts []draft, rng *rand.Rand, now time.Time) (*formPlan, error) {
	p := &formPlan{fi: fi, indField: map[string]bool{}, amounts: map[string]amountMap{}}
	var choices, numbers []sdk.Field
	for _, f := range fi.Fields {
		_, isInd := sdk.LookupIndicator(fi.Kind, f.ID)
		switch {
		case f.ID == sdk.FieldSubJurisdiction:
			for _, o := range f.Options {
				p.subs = append(p.subs, o.Value)
			}
		case f.Private():
		case isInd:
			p.indField[f.ID] = true
		case f.Type == sdk.TypeChoice:
			choices = append(choices, f)
		case (f.Type == sdk.TypeNumber || f.Type == sdk.TypeInt) && (f.Max == nil || *f.Max >= probeAmount):
			numbers = append(numbers, f)
		}
	}
	subs := p.subs
	if len(subs) == 0 {
		subs = []string{""}
	}
	// The bases: drawn records with the form's own fields left out.
	var bases []sdk.Answers
	for k := range min(probeBases, len(drafts)) {
		a := p.render(drafts[k*len(drafts)/min(probeBases, len(drafts))], rng, now)
		for _, f := range append(slices.Clone(choices), numbers...) {
			delete(a, f.ID)
		}
		bases = append(bases, a)
	}
	if len(bases) == 0 {
		return p, nil
	}
	// Each own choice field, option by option, in each sub-jurisdiction,
	// on each base: the options a record may take there, and the
	// indicator they map onto.
	type probe struct{ field, sub, option string }
	var rows []sdk.Answers
	var probes []probe
	for _, b := range bases {
		for _, f := range choices {
			for _, s := range subs {
				for _, o := range f.Options {
					a := maps.Clone(b)
					if s != "" {
						a[sdk.FieldSubJurisdiction] = s
					}
					for _, g := range choices {
						if g.ID != f.ID && g.Required && len(g.Options) > 0 {
							a[g.ID] = g.Options[0].Value
						}
					}
					a[f.ID] = o.Value
					rows = append(rows, a)
					probes = append(probes, probe{f.ID, s, o.Value})
				}
			}
		}
	}
	res, err := c.Check(ctx, fi.ID, fi.Version, rows)
	if err != nil {
		return nil, fmt.Errorf("testnet: probe %s: %w", fi.Ref(), err)
	}
	valid := bases[0]
	for k, r := range res {
		if r.Valid() {
			valid = rows[k]
			break
		}
	}
	for _, f := range choices {
		cm := choiceMap{field: f.ID, required: f.Required, by: map[string]map[string][]string{}, valid: map[string][]string{}}
		// The indicators whose value follows the option, within a
		// sub-jurisdiction; the one with the most values is the target.
		distinct := map[string]map[string]bool{}
		for k, pr := range probes {
			if pr.field != f.ID || !res[k].Valid() {
				continue
			}
			if !slices.Contains(cm.valid[pr.sub], pr.option) {
				cm.valid[pr.sub] = append(cm.valid[pr.sub], pr.option)
			}
			for name, v := range res[k].Common {
				if distinct[name] == nil {
					distinct[name] = map[string]bool{}
				}
				distinct[name][pr.sub+"\x00"+pr.option+"\x00"+fmt.Sprint(v)] = true
			}
		}
		// An indicator that follows the option takes one value per
		// option whatever the base; one that follows the base takes
		// several.
		best := 0
		for _, name := range slices.Sorted(maps.Keys(distinct)) {
			values := map[string]bool{}
			perOption := map[string]int{}
			for key := range distinct[name] {
				parts := strings.SplitN(key, "\x00", 3)
				perOption[parts[0]+"\x00"+parts[1]]++
				values[parts[0]+"\x00"+parts[2]] = true
			}
			follows := true
			for _, n := range perOption {
				follows = follows && n == 1
			}
			if follows && len(values) > len(subs) && len(values) > best {
				cm.target, best = name, len(values)
			}
		}
		if cm.target != "" {
			for k, pr := range probes {
				if pr.field != f.ID || !res[k].Valid() {
					continue
				}
				v := fmt.Sprint(res[k].Common[cm.target])
				if cm.by[pr.sub] == nil {
					cm.by[pr.sub] = map[string][]string{}
				}
				if !slices.Contains(cm.by[pr.sub][v], pr.option) {
					cm.by[pr.sub][v] = append(cm.by[pr.sub][v], pr.option)
				}
			}
		}
		p.choices = append(p.choices, cm)
	}
	// Each own number field, on a record the form takes: the EUR
	// indicator it maps onto, and at what rate (an amount in KM).
	if len(numbers) == 0 {
		return p, nil
	}
	rows = rows[:0]
	for _, f := range numbers {
		a := maps.Clone(valid)
		a[f.ID] = float64(probeAmount)
		rows = append(rows, a)
	}
	res, err = c.Check(ctx, fi.ID, fi.Version, rows)
	if err != nil {
		return nil, fmt.Errorf("testnet: probe %s: %w", fi.Ref(), err)
	}
	for k, f := range numbers {
		if !res[k].Valid() {
			continue
		}
		var found []string
		for name, v := range res[k].Common {
			ind, _ := sdk.LookupIndicator(fi.Kind, name)
			if x, ok := sdk.Number(v); ok && x > 0 && ind.Type == sdk.IndicatorEUR && !p.indField[name] {
				if _, taken := p.amounts[name]; !taken {
					found = append(found, name)
				}
			}
		}
		if len(found) == 1 {
			x, _ := sdk.Number(res[k].Common[found[0]])
			p.amounts[found[0]] = amountMap{field: f.ID, ratio: probeAmount / x}
		}
	}
	return p, nil
}

// render writes draft d on the form: the indicators where the form asks
// for them, the form's own fields chosen so that they map onto the
// drawn indicators, the rest made up as Synthesize does.
func (p *formPlan) render(d draft, rng *rand.Rand, now time.Time) sdk.Answers {
	a := Synthesize(p.fi, rng, now)
	for name := range p.indField {
		delete(a, name)
	}
	for _, cm := range p.choices {
		delete(a, cm.field)
	}
	for _, am := range p.amounts {
		delete(a, am.field)
	}
	for name, v := range d.ind {
		if p.indField[name] {
			a[name] = answerValue(v)
		}
		if am, ok := p.amounts[name]; ok {
			if f, ok := sdk.Number(v); ok {
				a[am.field] = math.Round(f*am.ratio*100) / 100
			}
		}
	}
	sub := ""
	if len(p.subs) > 0 {
		sub = d.sub
		if !slices.Contains(p.subs, sub) {
			sub = p.subs[rng.IntN(len(p.subs))]
		}
		a[sdk.FieldSubJurisdiction] = sub
	}
	for _, cm := range p.choices {
		var opts []string
		if cm.target != "" {
			opts = cm.by[sub][fmt.Sprint(d.ind[cm.target])]
		}
		if len(opts) == 0 && (cm.required || cm.target == "") {
			opts = cm.valid[sub] // what the form allows here; the truth is what it maps onto
		}
		if len(opts) > 0 && (cm.required || cm.target != "" || rng.IntN(2) == 0) {
			a[cm.field] = opts[rng.IntN(len(opts))]
		}
	}
	return a
}

// answerValue is an indicator value as a form's answer: numbers as JSON
// numbers, sets as lists.
func answerValue(v any) any {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return v
}
