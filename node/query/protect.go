package query

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"time"

	"github.com/kolo-net/kolo/node/store"
)

// Protector applies a node's disclosure control (its Policy) to the raw
// Result of a query, in the order docs/privacy.md gives: the subset rule,
// the ε budget when noise applies, the minimum cell count, the
// differencing guard, then noise. Its methods are safe for concurrent use.
type Protector struct {
	policy  Policy
	guard   *guard
	ledger  *Ledger
	sampler *Sampler
	now     func() time.Time
	log     *slog.Logger
}

// ProtectorOptions configure a Protector.
type ProtectorOptions struct {
	Now    func() time.Time // nil means time.Now
	Random io.Reader        // the noise's randomness; nil means crypto/rand (tests only set it)
	Logger *slog.Logger     // nil discards; no figure is ever logged
}

// NewProtector returns the Protector of a node whose store is st. The
// policy is completed with its defaults and checked.
func NewProtector(st *store.Store, p Policy, opts ProtectorOptions) (*Protector, error) {
	p = p.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	g, err := newGuard(st)
	if err != nil {
		return nil, err
	}
	l, err := NewLedger(st, p.Noise, opts.Now)
	if err != nil {
		return nil, err
	}
	return &Protector{policy: p, guard: g, ledger: l, sampler: NewSampler(opts.Random), now: opts.Now, log: opts.Logger}, nil
}

// Policy is the policy in force, with its defaults.
func (p *Protector) Policy() Policy { return p.policy }

// Ledger is the ε ledger the Protector spends from.
func (p *Protector) Ledger() *Ledger { return p.ledger }

// Request says who asks and how.
type Request struct {
	// Requester identifies the asking member (its peer ID): the
	// differencing guard and the ε budget are kept per requester.
	Requester string
	// Noise asks for noised figures (honoured in NoiseOnRequest mode;
	// noise is always added in NoiseAlways mode).
	Noise bool
	// Epsilon is the ε the query spends when noised; 0 means the policy's.
	Epsilon float64
}

// Protect turns res into the answer the node may send to req.Requester.
// A refusal (subset rule, budget, noise settings) is an Answer with
// Refused set and no cells; an error means the node could not decide (a
// store failure) and nothing may be sent.
func (p *Protector) Protect(ctx context.Context, req Request, res *Result) (*Answer, error) {
	if res == nil || res.Query == nil {
		return nil, errors.New("protect: no result")
	}
	if req.Requester == "" {
		return nil, errors.New("protect: no requester")
	}
	q, pol := res.Query, p.policy
	k := pol.NFilterTab
	refuse := func(reason, format string, args ...any) (*Answer, error) {
		p.log.Info("query refused", "requester", req.Requester, "reason", reason)
		return Refuse(q, k, reason, fmt.Sprintf(format, args...)), nil
	}
	if ans := p.Admit(q, req); ans != nil {
		p.log.Info("query refused", "requester", req.Requester, "reason", ans.Refused.Reason)
		return ans, nil
	}
	noised, eps := p.noise(req)

	// The subset rule (DataSHIELD's nfilter.subset).
	if q.Where != nil {
		ks := pol.NFilterSubset
		if res.Selected < ks {
			return refuse(ReasonSubset, "the where selects fewer than %d of this node's records (subset rule, nfilter.subset = %d)", ks, ks)
		}
		if out := res.InRange - res.Selected; out > 0 && out < ks {
			return refuse(ReasonSubset, "the where leaves out between 1 and %d of this node's records; it must leave out none or at least %d (subset rule, nfilter.subset = %d)", ks-1, ks, ks)
		}
	}

	ans := &Answer{Format: AnswerFormat, Query: q.String(), Unit: unitOf(q), Cells: make([]Cell, 0, len(res.Cells)), K: k}
	if noised {
		left, err := p.ledger.Spend(ctx, req.Requester, eps)
		if errors.Is(err, ErrBudgetSpent) {
			return refuse(ReasonBudget, "the ε budget of this requester for %s is spent: %v of %v left, the query asks %v",
				pol.Noise.period(p.now()), left, pol.Noise.Budget, eps)
		}
		if err != nil {
			return nil, fmt.Errorf("protect: %w", err)
		}
		ans.Noise = &NoiseSpent{Mechanism: "discrete_laplace", Epsilon: eps.Float(), Left: left.Float(), Period: pol.Noise.period(p.now())}
	}

	rq := requesterKey(req.Requester)
	unlock := p.guard.lock(rq)
	defer unlock()
	now := p.now()
	var rels []release
	for i := range res.Cells {
		c := &res.Cells[i]
		cell := Cell{Group: c.Group}
		figKey := figureKey(rq, ans.Query, c.Group)
		if reason := minCell(q, c, k); reason != "" {
			cell.Suppressed, cell.Reason = true, reason
			ans.Cells = append(ans.Cells, cell)
			continue
		}
		set := p.guard.hashes(c)
		near, _, err := p.guard.near(ctx, rq, set, k)
		if err != nil {
			return nil, fmt.Errorf("protect: %w", err)
		}
		if near {
			cell.Suppressed, cell.Reason = true, SuppressedDifferencing
			if cell.Earlier, err = p.guard.earlier(figKey); err != nil {
				return nil, fmt.Errorf("protect: %w", err)
			}
			ans.Cells = append(ans.Cells, cell)
			continue
		}
		if cell.Figures, err = p.figures(q, res, c, noised, eps); err != nil {
			return nil, fmt.Errorf("protect: %w", err)
		}
		rels = append(rels, release{set: set, figKey: figKey, fig: Earlier{Released: now.UTC().Truncate(time.Millisecond), Figures: cell.Figures}})
		ans.Cells = append(ans.Cells, cell)
	}
	// Remembered before the answer leaves: a send that fails afterwards
	// leaves the guard stricter, never weaker.
	if err := p.guard.remember(ctx, rq, rels, now); err != nil {
		return nil, err
	}
	for _, c := range ans.Cells {
		ans.Coverage.Cells++
		if c.Suppressed {
			ans.Coverage.Suppressed++
		} else {
			ans.Coverage.Released++
		}
	}
	p.log.Info("query answered", "requester", req.Requester, "cells", ans.Coverage.Cells, "suppressed", ans.Coverage.Suppressed, "epsilon", eps.Float())
	return ans, nil
}

// Admit says whether this node takes q from req before it is evaluated:
// nil, or the refusal to send. It checks q against the node's limits
// and the request's noise against the node's noise settings; Protect
// checks the same again.
func (p *Protector) Admit(q *Query, req Request) *Answer {
	pol := p.policy
	refuse := func(reason, format string, args ...any) *Answer {
		return Refuse(q, pol.NFilterTab, reason, fmt.Sprintf(format, args...))
	}
	if err := q.Check(Options{Limits: pol.Limits}); err != nil {
		return refuse(ReasonLimits, "this node does not take the query: %s", err)
	}
	if req.Noise && pol.Noise.Mode == NoiseOff {
		return refuse(ReasonNoiseOff, "this node adds no noise (its noise.mode is off); ask without noise")
	}
	if noised, _ := p.noise(req); !noised {
		return nil
	}
	if q.Agg.Func == Median || q.Agg.Func == Quantile {
		return refuse(ReasonNoiseUnsupported, "this node noises its answers, and kolo has no noise for %s: ask for a histogram instead", q.Agg.Func)
	}
	want := req.Epsilon
	if want == 0 {
		want = pol.Noise.Epsilon
	}
	if _, err := EpsilonOf(want); err != nil || want > pol.Noise.MaxEpsilon {
		return refuse(ReasonEpsilon, "the query asks ε = %v; this node allows at most %v per query", want, pol.Noise.MaxEpsilon)
	}
	return nil
}

// noise says whether req's answer is noised, and with which ε (valid
// once Admit passed).
func (p *Protector) noise(req Request) (bool, Epsilon) {
	n := p.policy.Noise
	if n.Mode != NoiseAlways && !(n.Mode == NoiseOnRequest && req.Noise) {
		return false, 0
	}
	want := req.Epsilon
	if want == 0 {
		want = n.Epsilon
	}
	eps, _ := EpsilonOf(want)
	return true, eps
}

// minCell returns why cell c must be suppressed by the minimum cell count
// k, or "". An empty histogram bin is released (as 0): zeros are not
// suppressed, as in DataSHIELD.
func minCell(q *Query, c *CellResult, k int) string {
	small := func(n int64) bool { return n > 0 && n < int64(k) }
	switch {
	case q.Agg.Func == Histogram && c.N == 0:
		return ""
	case c.N < int64(k):
		return SuppressedMinCell
	case q.Agg.Func == Share && (small(c.True) || small(c.N-c.True)):
		// A share is a two-cell table: true and false.
		return SuppressedMinCell
	}
	return ""
}

// figures are the figures a released cell carries, noised when asked.
func (p *Protector) figures(q *Query, res *Result, c *CellResult, noised bool, eps Epsilon) (Figures, error) {
	var f Figures
	var err error
	add := func(v int64, sens int64, parts int64) (int64, float64) {
		if !noised || err != nil || sens == 0 {
			return v, 0
		}
		// Scale b = sensitivity · parts / ε, with ε in millionths.
		num := new(big.Int).Mul(big.NewInt(sens), big.NewInt(parts*epsilonUnit))
		den := big.NewInt(int64(eps))
		z, e := p.sampler.DiscreteLaplace(num, den)
		if e == nil && !z.IsInt64() {
			e = errNoiseRange
		}
		if e != nil {
			err = e
			return 0, 0
		}
		b, _ := new(big.Rat).SetFrac(num, den).Float64()
		return v + z.Int64(), b
	}
	var fn FigureNoise
	switch q.Agg.Func {
	case Count, Histogram:
		n, b := add(c.N, 1, 1)
		f.N, fn.N = ptr(n), b
	case Sum:
		v := c.Sum
		if noised {
			v = c.ClampedSum
		}
		s, b := add(v, res.Clamp, 1)
		f.Sum, fn.Sum = ptr(s), b
	case Mean:
		v := c.Sum
		if noised {
			v = c.ClampedSum
		}
		s, bs := add(v, res.Clamp, 2) // ε split between the sum and the count
		n, bn := add(c.N, 1, 2)
		f.Sum, f.N, fn.Sum, fn.N = ptr(s), ptr(n), bs, bn
	case Share:
		t, bt := add(c.True, 1, 2)
		n, bn := add(c.N, 1, 2)
		f.True, f.N, fn.True, fn.N = ptr(t), ptr(n), bt, bn
	case Median, Quantile:
		// The inverse of the empirical distribution: the smallest value
		// with at least p·n values at or below it.
		rank := (int64(q.Agg.Permille)*c.N + 999) / 1000
		f.Quantile, f.N = ptr(c.Values[max(rank, 1)-1]), ptr(c.N)
	}
	if noised {
		f.Noise = &fn
	}
	return f, err
}
