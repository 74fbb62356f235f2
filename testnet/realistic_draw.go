package testnet

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// draft is one record as drawn, before it is written on a country's form:
// the common indicators it should map onto and, in Bosnia and
// Herzegovina, its sub-jurisdiction.
type draft struct {
	kind sdk.Kind
	ind  sdk.Common
	sub  string
}

// drawer draws the records of one country from its Profile.
type drawer struct {
	p        Profile
	rng      *rand.Rand
	from, to time.Time
}

// allocate gives n records values in the proportions of w, by largest
// remainder, in a random order.
func (d *drawer) allocate(n int, w Weights) []string {
	if n <= 0 || len(w) == 0 {
		return nil
	}
	total := 0.0
	for _, x := range w {
		total += x.Weight
	}
	counts := make([]int, len(w))
	type rem struct {
		i    int
		frac float64
	}
	rems := make([]rem, len(w))
	left := n
	for i, x := range w {
		exact := float64(n) * x.Weight / total
		counts[i] = int(math.Floor(exact))
		left -= counts[i]
		rems[i] = rem{i, exact - math.Floor(exact)}
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.frac, a.frac) })
	for k := 0; k < left; k++ {
		counts[rems[k%len(rems)].i]++
	}
	out := make([]string, 0, n)
	for i, x := range w {
		for range counts[i] {
			out = append(out, x.Value)
		}
	}
	d.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// flags gives n records true in the proportion p, by quota.
func (d *drawer) flags(n int, p float64) []bool {
	vals := d.allocate(n, Weights{{"true", p}, {"false", 1 - p}})
	out := make([]bool, len(vals))
	for i, v := range vals {
		out[i] = v == "true"
	}
	return out
}

// logNormal draws a whole number from l.
func (d *drawer) logNormal(l LogNormal) int64 {
	v := l.Median * math.Exp(l.Sigma*d.rng.NormFloat64())
	return int64(math.Round(math.Min(l.Max, math.Max(l.Min, v))))
}

// day draws a date in the period.
func (d *drawer) day() time.Time {
	days := int(d.to.Sub(d.from).Hours() / 24)
	return d.from.AddDate(0, 0, d.rng.IntN(days+1))
}

func date(t time.Time) string { return t.Format(sdk.DateLayout) }

// subset returns the indexes of the records for which keep holds.
func subset(n int, keep func(i int) bool) []int {
	var out []int
	for i := range n {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

// judgments draws n judgments.
func (d *drawer) judgments(n int) []draft {
	p := d.p
	out := make([]draft, n)
	level, offence, expl, verdict := d.allocate(n, p.CourtLevel), d.allocate(n, p.Offence), d.allocate(n, p.Exploitation), d.allocate(n, p.Verdict)
	claimed, frozen := d.flags(n, p.CompensationClaimed), d.flags(n, p.AssetsFrozen)
	quest, confronted, rep, pros, cites := d.allocate(n, p.Questioning), d.flags(n, p.Confronted), d.flags(n, p.Representative), d.flags(n, p.Prosecuted), d.flags(n, p.CitesInternational)
	subs := d.allocate(n, p.SubJurisdiction)
	for i := range out {
		c := sdk.Common{
			"court_level": level[i], "offence": offence[i], "exploitation": expl[i], "verdict": verdict[i],
			"compensation_claimed": claimed[i], "assets_frozen": frozen[i], "victim_questioning": quest[i],
			"victim_confronted_with_defendant": confronted[i], "victim_legal_representative": rep[i], "victim_prosecuted": pros[i],
			"defendants": int64(1 + d.rng.IntN(4)), "victim_testimonies": int64(1 + d.rng.IntN(4)),
		}
		victims := int64(1)
		for victims < 8 && d.rng.IntN(2) == 0 {
			victims++
		}
		c["victims"], c["child_victims"] = victims, int64(0)
		if offence[i] == "thb_child" {
			c["child_victims"] = 1 + d.rng.Int64N(victims)
		}
		decided := d.day()
		c["decision_date"] = date(decided)
		c["indictment_date"] = date(decided.AddDate(0, 0, -int(d.logNormal(p.ProceedingsDays))))
		if cites[i] {
			var laws []string
			for _, l := range []string{"palermo", "coe_convention", "echr_art4", "eu_directive_2011_36"} {
				if d.rng.IntN(2) == 0 {
					laws = append(laws, l)
				}
			}
			if len(laws) == 0 {
				laws = []string{"palermo"}
			}
			c["international_law_cited"] = laws
		}
		out[i] = draft{kind: sdk.KindJudgment, ind: c}
		if subs != nil {
			out[i].sub = subs[i]
		}
	}
	// A prison term and the assets confiscated after a conviction or a
	// plea agreement; nothing after an acquittal or a dismissal.
	sentenced := subset(n, func(i int) bool { return verdict[i] == "convicted" || verdict[i] == "plea_agreement" })
	confiscated := d.flags(len(sentenced), p.Confiscated)
	for k, i := range sentenced {
		m := d.logNormal(p.SentenceMonths)
		if verdict[i] == "plea_agreement" {
			m = max(1, int64(math.Round(float64(m)*p.PleaFactor)))
		}
		out[i].ind["sentence_months"] = m
		out[i].ind["below_statutory_minimum"] = m < int64(p.MinimumMonths)
		eur := 0.0
		if confiscated[k] {
			eur = float64(d.logNormal(p.ConfiscatedEUR))
		}
		out[i].ind["assets_confiscated_eur"] = eur
	}
	// A decision on every claim; an amount and whether it was paid for
	// every award.
	claims := subset(n, func(i int) bool { return claimed[i] })
	decisions := d.allocate(len(claims), p.CompensationDecision)
	for k, i := range claims {
		out[i].ind["compensation_decision"] = decisions[k]
	}
	awards := subset(n, func(i int) bool {
		dec, _ := out[i].ind["compensation_decision"].(string)
		return dec == "awarded" || dec == "partial"
	})
	paid := d.flags(len(awards), p.CompensationPaid)
	for k, i := range awards {
		eur := float64(d.logNormal(p.AwardEUR))
		if out[i].ind["compensation_decision"] == "partial" {
			eur = math.Round(eur / 2)
		}
		out[i].ind["compensation_awarded_eur"] = eur
		out[i].ind["compensation_paid"] = paid[k]
	}
	return out
}

// hearings draws n trial hearings.
func (d *drawer) hearings(n int, courts []string) []draft {
	p := d.p
	out := make([]draft, n)
	held, protective, public, present := d.flags(n, p.HearingHeld), d.flags(n, p.Protective), d.flags(n, .8), d.flags(n, .5)
	need := d.flags(n, p.InterpreterNeed)
	subs := d.allocate(n, p.SubJurisdiction)
	for i := range out {
		c := sdk.Common{"date": date(d.day()), "court": courts[d.rng.IntN(len(courts))], "hearing_held": held[i],
			"victim_protective_measures": protective[i], "public": public[i], "victim_present": present[i], "interpreter_needed": need[i]}
		if need[i] {
			c["interpreter_provided"] = d.rng.IntN(5) > 0
		}
		if held[i] {
			c["duration_minutes"] = d.logNormal(p.HearingMinutes)
		}
		out[i] = draft{kind: sdk.KindTrialHearing, ind: c}
		if subs != nil {
			out[i].sub = subs[i]
		}
	}
	adjourned := subset(n, func(i int) bool { return !held[i] })
	reasons := d.allocate(len(adjourned), p.Adjourned)
	for k, i := range adjourned {
		out[i].ind["adjourned_reason"] = reasons[k]
	}
	return out
}

// policeCases draws n police cases.
func (d *drawer) policeCases(n int) []draft {
	p := d.p
	out := make([]draft, n)
	stage, ref, cross := d.allocate(n, p.PoliceStage), d.allocate(n, p.Referral), d.flags(n, p.CrossBorder)
	subs := d.allocate(n, p.SubJurisdiction)
	for i := range out {
		sent := int64(d.rng.IntN(6))
		answered := int64(0)
		for range sent {
			if d.rng.IntN(10) < 6 {
				answered++
			}
		}
		out[i] = draft{kind: sdk.KindPoliceCase, ind: sdk.Common{"opened_date": date(d.day()), "stage": stage[i], "referral_source": ref[i],
			"cross_border": cross[i], "suspects": int64(1 + d.rng.IntN(5)), "victims_identified": int64(d.rng.IntN(5)),
			"information_requests_sent": sent, "information_requests_answered": answered}}
		if subs != nil {
			out[i].sub = subs[i]
		}
	}
	return out
}

// support draws n victim-support records.
func (d *drawer) support(n int) []draft {
	p := d.p
	out := make([]draft, n)
	status, shelter := d.allocate(n, p.VictimStatus), d.flags(n, p.Shelter)
	age := d.allocate(n, Weights{{"child", p.ChildVictim}, {"adult", 1 - p.ChildVictim}})
	sex := d.allocate(n, Weights{{"female", .75}, {"male", .23}, {"other", .02}})
	plan := d.flags(n, .6)
	outcome := d.allocate(n, Weights{{"ongoing", .35}, {"reintegrated", .30}, {"repatriated", .15}, {"lost_contact", .15}, {"re_trafficked", .05}})
	subs := d.allocate(n, p.SubJurisdiction)
	for i := range out {
		services := []string{}
		if shelter[i] {
			services = append(services, "shelter")
		}
		for _, s := range []string{"medical", "psychological", "legal_aid", "education", "financial", "repatriation"} {
			if d.rng.IntN(3) == 0 {
				services = append(services, s)
			}
		}
		if len(services) == 0 {
			services = append(services, "psychological")
		}
		out[i] = draft{kind: sdk.KindVictimSupport, ind: sdk.Common{"victim_status": status[i], "age_group": age[i], "sex": sex[i],
			"services": services, "individual_plan": plan[i], "outcome": outcome[i]}}
		if subs != nil {
			out[i].sub = subs[i]
		}
	}
	identified := subset(n, func(i int) bool { return status[i] != "potential" })
	bodies := d.allocate(len(identified), p.IdentifiedBy)
	for k, i := range identified {
		out[i].ind["identified_by"] = bodies[k]
	}
	return out
}

// legislation draws n legislative events.
func (d *drawer) legislation(n int, acts []string) []draft {
	p := d.p
	out := make([]draft, n)
	stage, typ, greta := d.allocate(n, p.LegislationStage), d.allocate(n, p.LegislationType), d.flags(n, .4)
	subs := d.allocate(n, p.SubJurisdiction)
	for i := range out {
		out[i] = draft{kind: sdk.KindLegislation, ind: sdk.Common{"identifier": acts[d.rng.IntN(len(acts))], "type": typ[i], "stage": stage[i],
			"stage_date": date(d.day()), "greta_recommendation": greta[i]}}
		if subs != nil {
			out[i].sub = subs[i]
		}
	}
	return out
}

// meetings draws n meetings with public authorities.
func (d *drawer) meetings(n int) []draft {
	p := d.p
	out := make([]draft, n)
	body, purpose := d.allocate(n, p.Body), d.allocate(n, p.Purpose)
	subs := d.allocate(n, p.SubJurisdiction)
	for i := range out {
		out[i] = draft{kind: sdk.KindEngagement, ind: sdk.Common{"date": date(d.day()), "body": body[i], "purpose": purpose[i]}}
		if subs != nil {
			out[i].sub = subs[i]
		}
	}
	return out
}
