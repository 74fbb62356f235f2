package query

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
)

// The exact discrete Laplace sampler of Canonne, Kamath and Steinke, "The
// Discrete Gaussian for Differential Privacy" (NeurIPS 2020), Algorithms 1
// and 2, as OpenDP's sample_discrete_laplace implements it: integers only,
// uniform random integers from crypto/rand, no floating point anywhere, so
// none of the leaks Mironov (2012) showed in floating-point Laplace.
//
// Written here rather than imported: OpenDP is Rust, and no Go module
// offers an exact sampler (Go's DP libraries draw Laplace noise through
// floating point).
//
// The discrete Laplace distribution with scale b > 0 has
//
//	P(Z = z) = (1 - q)/(1 + q) · q^|z|,  q = exp(-1/b),  z ∈ ℤ.

// Sampler draws exact discrete Laplace noise. It is safe for concurrent use
// when its reader is (crypto/rand.Reader is).
type Sampler struct {
	r io.Reader
}

// NewSampler returns a Sampler drawing from r; nil means crypto/rand.Reader.
// Tests may give a deterministic reader; a node never does.
func NewSampler(r io.Reader) *Sampler {
	if r == nil {
		r = rand.Reader
	}
	return &Sampler{r: r}
}

var (
	bigOne = big.NewInt(1)
	bigTwo = big.NewInt(2)
)

// uniform draws an integer uniformly from [0, n), n ≥ 1.
func (s *Sampler) uniform(n *big.Int) (*big.Int, error) {
	return rand.Int(s.r, n) // exact: rejection sampling over whole bytes
}

// bernoulli returns true with probability num/den (0 ≤ num ≤ den, den ≥ 1).
func (s *Sampler) bernoulli(num, den *big.Int) (bool, error) {
	u, err := s.uniform(den)
	if err != nil {
		return false, err
	}
	return u.Cmp(num) < 0, nil
}

// bernoulliExp returns true with probability exp(-num/den), num ≥ 0,
// den ≥ 1 (Algorithm 1).
func (s *Sampler) bernoulliExp(num, den *big.Int) (bool, error) {
	if num.Cmp(den) <= 0 {
		// γ = num/den in [0, 1]: K ← 1; while Bernoulli(γ/K), K++;
		// return K odd.
		k := big.NewInt(1)
		kd := new(big.Int)
		for {
			kd.Mul(den, k)
			a, err := s.bernoulli(num, kd)
			if err != nil {
				return false, err
			}
			if !a {
				break
			}
			k.Add(k, bigOne)
		}
		return k.Bit(0) == 1, nil
	}
	// γ > 1: ⌊γ⌋ draws of Bernoulli(exp(-1)), then Bernoulli(exp(-frac γ)).
	whole, frac := new(big.Int).QuoRem(num, den, new(big.Int))
	for i := new(big.Int); i.Cmp(whole) < 0; i.Add(i, bigOne) {
		b, err := s.bernoulliExp(bigOne, bigOne)
		if err != nil || !b {
			return false, err
		}
	}
	return s.bernoulliExp(frac, den)
}

// DiscreteLaplace draws one sample of the discrete Laplace distribution
// with scale num/den (both ≥ 1), Algorithm 2 of Canonne, Kamath and
// Steinke with t = num, s = den.
func (s *Sampler) DiscreteLaplace(num, den *big.Int) (*big.Int, error) {
	if num.Sign() <= 0 || den.Sign() <= 0 {
		return nil, fmt.Errorf("discrete Laplace: scale %v/%v must be positive", num, den)
	}
	t, sd := num, den
	for {
		u, err := s.uniform(t) // U ∈ {0, …, t-1}
		if err != nil {
			return nil, err
		}
		d, err := s.bernoulliExp(u, t) // D ~ Bernoulli(exp(-U/t))
		if err != nil {
			return nil, err
		}
		if !d {
			continue
		}
		v := new(big.Int) // V ~ Geometric(1 - exp(-1)), counted as failures
		for {
			a, err := s.bernoulliExp(bigOne, bigOne)
			if err != nil {
				return nil, err
			}
			if !a {
				break
			}
			v.Add(v, bigOne)
		}
		x := new(big.Int).Mul(t, v) // X = U + t·V ~ Geometric(1 - exp(-1/t))
		x.Add(x, u)
		y := x.Quo(x, sd) // Y = ⌊X/s⌋ ~ Geometric(1 - exp(-s/t))
		b, err := s.bernoulli(bigOne, bigTwo)
		if err != nil {
			return nil, err
		}
		if b && y.Sign() == 0 {
			continue // reject -0, so that 0 is not counted twice
		}
		if b {
			y.Neg(y)
		}
		return y, nil
	}
}

// errNoiseRange is returned when a sample does not fit an int64; with any
// scale a policy allows, the chance is below 2^-60.
var errNoiseRange = errors.New("discrete Laplace sample outside the int64 range")

// noise draws discrete Laplace noise of scale num/den as an int64.
func (s *Sampler) noise(num, den int64) (int64, error) {
	z, err := s.DiscreteLaplace(big.NewInt(num), big.NewInt(den))
	if err != nil {
		return 0, err
	}
	if !z.IsInt64() {
		return 0, errNoiseRange
	}
	return z.Int64(), nil
}
