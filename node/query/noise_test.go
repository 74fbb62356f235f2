package query

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"
)

// laplacePMF is the exact probability of z under discrete Laplace noise of
// scale b.
func laplacePMF(b float64, z int64) float64 {
	q := math.Exp(-1 / b)
	return (1 - q) / (1 + q) * math.Pow(q, math.Abs(float64(z)))
}

// chiSquare returns the statistic of draws (value → count) against the
// discrete Laplace pmf of scale b, with every |z| ≤ m in its own bin and
// the two tails beyond ±m in one bin each, and its degrees of freedom.
func chiSquare(draws map[int64]int, total int, b float64, m int64) (float64, int) {
	stat := 0.0
	inner := 0.0
	for z := -m; z <= m; z++ {
		p := laplacePMF(b, z)
		inner += p
		e := p * float64(total)
		d := float64(draws[z]) - e
		stat += d * d / e
	}
	tail := (1 - inner) / 2
	var lo, hi int
	for z, c := range draws {
		switch {
		case z < -m:
			lo += c
		case z > m:
			hi += c
		}
	}
	for _, c := range []int{lo, hi} {
		e := tail * float64(total)
		d := float64(c) - e
		stat += d * d / e
	}
	return stat, int(2*m+1+2) - 1
}

// chiCritical is the chi-square quantile 1-alpha for df degrees of freedom
// (Wilson-Hilferty), with z the standard normal quantile of 1-alpha.
func chiCritical(df int, z float64) float64 {
	k := float64(df)
	c := 1 - 2/(9*k) + z*math.Sqrt(2/(9*k))
	return k * c * c * c
}

// TestDiscreteLaplaceChiSquare draws 10^6 samples of scale 3/2 from the
// exact sampler (crypto/rand) and tests them against the exact pmf at
// significance 10^-4; the same draws tested against a scale 5% off are
// rejected, so the test can tell.
func TestDiscreteLaplaceChiSquare(t *testing.T) {
	if testing.Short() {
		t.Skip("10^6 draws: slow; run without -short")
	}
	t.Parallel()
	const total = 1_000_000
	s := NewSampler(nil)
	num, den := big.NewInt(3), big.NewInt(2)
	draws := map[int64]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := map[int64]int{}
			for range total / 4 {
				z, err := s.DiscreteLaplace(num, den)
				if err != nil {
					errs <- fmt.Errorf("worker %d: %w", w, err)
					return
				}
				local[z.Int64()]++
			}
			mu.Lock()
			for z, c := range local {
				draws[z] += c
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	const m = 14 // every |z| ≤ 14 expects over 29 draws
	crit := chiCritical(2*m+2, 3.719)
	stat, df := chiSquare(draws, total, 1.5, m)
	t.Logf("χ² = %.1f with %d degrees of freedom; critical value at 1e-4: %.1f", stat, df, crit)
	if stat > crit {
		t.Errorf("draws do not follow the discrete Laplace pmf of scale 1.5: χ² = %.1f > %.1f", stat, crit)
	}
	wrong, _ := chiSquare(draws, total, 1.5*1.05, m)
	if wrong <= crit {
		t.Errorf("against scale 1.575 the test does not reject (χ² = %.1f): it cannot tell a wrong sampler", wrong)
	}
	mean := 0.0
	for z, c := range draws {
		mean += float64(z) * float64(c)
	}
	if mean /= total; math.Abs(mean) > 0.01 {
		t.Errorf("mean %.4f, want 0 (the distribution is symmetric)", mean)
	}
}

// Scales that are whole numbers, below 1 and large all work; a scale of 0
// or below is refused.
func TestDiscreteLaplaceScales(t *testing.T) {
	t.Parallel()
	s := NewSampler(nil)
	for _, sc := range [][2]int64{{1, 1}, {1, 3}, {1_000_000_000_000, 1}, {2_000_000, 700_000}} {
		for range 200 {
			z, err := s.DiscreteLaplace(big.NewInt(sc[0]), big.NewInt(sc[1]))
			if err != nil || z == nil {
				t.Fatalf("scale %d/%d: %v", sc[0], sc[1], err)
			}
		}
	}
	// With scale 1/3, P(0) = (1-q)/(1+q), q = e^-3: about 0.905.
	zeros := 0
	for range 2000 {
		z, _ := s.DiscreteLaplace(big.NewInt(1), big.NewInt(3))
		if z.Sign() == 0 {
			zeros++
		}
	}
	if p := float64(zeros) / 2000; math.Abs(p-laplacePMF(1.0/3, 0)) > 0.03 {
		t.Errorf("scale 1/3: P(0) ≈ %.3f, want %.3f", p, laplacePMF(1.0/3, 0))
	}
	for _, bad := range [][2]int64{{0, 1}, {1, 0}, {-1, 1}} {
		if _, err := s.DiscreteLaplace(big.NewInt(bad[0]), big.NewInt(bad[1])); err == nil {
			t.Errorf("scale %d/%d accepted", bad[0], bad[1])
		}
	}
}

// TestNoisedAnswers: with noise always on, figures carry noise of the
// documented scale, the ε budget runs out after Budget/ε queries, medians
// are refused, and the other refusals name their reason.
func TestNoisedAnswers(t *testing.T) {
	t.Parallel()
	n := attackBook(t)
	pol := Policy{Noise: NoisePolicy{Mode: NoiseAlways, Epsilon: 1, MaxEpsilon: 2, Budget: 10, Clamp: map[string]float64{"sentence_months": 240}}}
	pr := newProtector(t, n.st, pol)
	req := Request{Requester: "analyst"}
	differs := false
	for i := range 10 {
		ans := ask(t, n, pr, req, "histogram(victims; 2, 3, 4, 5) judgment")
		if ans.Refused == nil && ans.Noise == nil || ans.Refused != nil {
			t.Fatalf("query %d: %s", i, jsonString(t, ans))
		}
		if ans.Noise.Epsilon != 1 || ans.Noise.Left != float64(9-i) || ans.Noise.Mechanism != "discrete_laplace" {
			t.Fatalf("query %d: noise %+v", i, ans.Noise)
		}
		for _, c := range ans.Cells {
			if c.Suppressed {
				continue
			}
			if c.Noise == nil || c.Noise.N != 1 {
				t.Fatalf("cell %v: noise %+v, want scale 1 (1/ε)", c.Group, c.Noise)
			}
			if *c.N != 6 && !(c.Group[0] == "[4,5)" && *c.N == 7) {
				differs = true
			}
		}
	}
	if !differs {
		t.Error("no noised count differed from the exact one in 10 queries")
	}
	if ans := ask(t, n, pr, req, "count judgment"); ans.Refused == nil || ans.Refused.Reason != ReasonBudget || len(ans.Cells) != 0 {
		t.Fatalf("the 11th query: %s", jsonString(t, ans))
	}

	// A mean spends ε/2 on each figure: sum scale 2·240/ε, count scale 2/ε.
	other := Request{Requester: "other", Epsilon: 2}
	c := only(t, ask(t, n, pr, other, "mean(sentence_months) judgment"))
	if c.Noise == nil || c.Noise.Sum != 240 || c.Noise.N != 1 {
		t.Fatalf("mean with ε=2: %s", jsonString(t, c))
	}
	if ans := ask(t, n, pr, other, "median(sentence_months) judgment"); ans.Refused == nil || ans.Refused.Reason != ReasonNoiseUnsupported {
		t.Fatalf("median with noise: %s", jsonString(t, ans))
	}
	if ans := ask(t, n, pr, Request{Requester: "other", Epsilon: 3}, "count judgment"); ans.Refused == nil || ans.Refused.Reason != ReasonEpsilon {
		t.Fatalf("ε above the maximum: %s", jsonString(t, ans))
	}
	exact := newProtector(t, n.st, Policy{})
	if ans := ask(t, n, exact, Request{Requester: "x", Noise: true}, "count judgment"); ans.Refused == nil || ans.Refused.Reason != ReasonNoiseOff {
		t.Fatalf("noise asked of a node without: %s", jsonString(t, ans))
	}
	// Admit refuses the same before any evaluation, and a query over the
	// node's own limits.
	if ans := pr.Admit(mustParse(t, "median(sentence_months) judgment"), other); ans == nil || ans.Refused.Reason != ReasonNoiseUnsupported {
		t.Fatalf("Admit of a median with noise: %v", ans)
	}
	small := newProtector(t, n.st, Policy{Limits: Limits{MaxGroups: 1}})
	if ans := small.Admit(mustParse(t, "count judgment by verdict, court_level"), Request{Requester: "z"}); ans == nil || ans.Refused.Reason != ReasonLimits ||
		!strings.Contains(ans.Refused.Message, "at most 1 groups") {
		t.Fatalf("Admit over the node's limits: %v", ans)
	}
	if ans := small.Admit(mustParse(t, "count judgment by verdict"), Request{Requester: "z"}); ans != nil {
		t.Fatalf("Admit within limits: %+v", ans.Refused)
	}
	onRequest := newProtector(t, n.st, Policy{Noise: NoisePolicy{Mode: NoiseOnRequest}})
	if ans := ask(t, n, onRequest, Request{Requester: "y"}, "count judgment"); ans.Noise != nil || *only(t, ans).N != 31 {
		t.Fatalf("on_request without asking: %s", jsonString(t, ans))
	}
}

// TestBudgetUnderConcurrentQueries: 100 queries at once against a budget
// of 10 queries: exactly 10 are answered, 90 refused, and the ledger
// shows exactly the budget spent; the same for the ledger alone with an ε
// that does not divide the budget.
func TestBudgetUnderConcurrentQueries(t *testing.T) {
	t.Parallel()
	n := attackBook(t)
	pr := newProtector(t, n.st, Policy{Noise: NoisePolicy{Mode: NoiseAlways, Epsilon: 1, Budget: 10}})
	q := mustParse(t, "count judgment by verdict")
	res, err := Evaluate(context.Background(), q, n.book, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	answered, refused := 0, 0
	start := make(chan struct{})
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ans, err := pr.Protect(context.Background(), Request{Requester: "analyst"}, res)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Error(err)
			case ans.Refused == nil:
				answered++
			case ans.Refused.Reason == ReasonBudget:
				refused++
			default:
				t.Errorf("refused for %s", ans.Refused.Reason)
			}
		}()
	}
	close(start)
	wg.Wait()
	if answered != 10 || refused != 90 {
		t.Fatalf("%d answered, %d refused; want 10 and 90", answered, refused)
	}
	if spent, err := pr.Ledger().Spent(context.Background(), "analyst"); err != nil || spent != 10*epsilonUnit {
		t.Fatalf("ledger: %v spent (%v)", spent, err)
	}

	l, err := NewLedger(n.st, NoisePolicy{Budget: 10, Period: PeriodDay}, func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	eps, _ := EpsilonOf(0.3)
	ok := 0
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := l.Spend(context.Background(), "ledger-only", eps)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
			} else if !errors.Is(err, ErrBudgetSpent) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if spent, _ := l.Spent(context.Background(), "ledger-only"); ok != 33 || spent != 33*eps {
		t.Fatalf("ε 0.3 against 10: %d spends, %v spent; want 33 and 9.9", ok, spent)
	}
	// The next day's budget is fresh.
	next, _ := NewLedger(n.st, NoisePolicy{Budget: 10, Period: PeriodDay}, func() time.Time { return time.Date(2026, 3, 2, 0, 0, 1, 0, time.UTC) })
	if left, err := next.Spend(context.Background(), "ledger-only", eps); err != nil || left != 10*epsilonUnit-eps {
		t.Fatalf("next day: %v left, %v", left, err)
	}
}
