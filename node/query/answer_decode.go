package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"unicode/utf8"
)

// Caps on an answer received from a node.
const (
	MaxAnswerBytes = 4 << 20 // its JSON
	maxAnswerCells = 50_000
	maxGroupValues = 16
	maxLabelBytes  = 64
	maxTextBytes   = 4096 // the query text, a refusal's message
)

var suppressionReasons = []string{SuppressedMinCell, SuppressedDifferencing}

// DecodeAnswer decodes the JSON of an answer a node sent (after its
// signature was checked and it was opened): strictly, at most
// MaxAnswerBytes, and well formed: format 1, a refusal without cells, a
// suppressed cell without figures, coverage that matches the cells.
func DecodeAnswer(data []byte) (*Answer, error) {
	if len(data) > MaxAnswerBytes {
		return nil, fmt.Errorf("answer: %d bytes; at most %d are allowed", len(data), MaxAnswerBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var a Answer
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("answer: does not decode: %w", err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return nil, errors.New("answer: data after the JSON object")
	}
	if err := a.Check(); err != nil {
		return nil, fmt.Errorf("answer: %w", err)
	}
	return &a, nil
}

// Check says what is wrong with an answer received from a node, or nil:
// DecodeAnswer runs it; a caller that decoded the answer inside another
// message (the sealed payload) runs it itself before using a figure.
func (a *Answer) Check() error {
	switch {
	case a.Format != AnswerFormat:
		return fmt.Errorf("format %d; this kolo reads format %d", a.Format, AnswerFormat)
	case a.Query == "" || len(a.Query) > maxTextBytes || !utf8.ValidString(a.Query):
		return errors.New("no query text, or not 1..4096 bytes of UTF-8")
	case a.K < MinK:
		return fmt.Errorf("k = %d, below the floor of %d", a.K, MinK)
	case len(a.Cells) > maxAnswerCells:
		return fmt.Errorf("%d cells; at most %d", len(a.Cells), maxAnswerCells)
	case !slices.Contains([]string{"", "months", "days", "items", "eur_cents"}, a.Unit):
		return fmt.Errorf("unknown unit %q", clip(a.Unit, 20))
	}
	if r := a.Refused; r != nil {
		if r.Reason == "" || len(r.Reason) > maxLabelBytes || len(r.Message) > maxTextBytes || len(a.Cells) > 0 {
			return errors.New("a refusal needs a reason of at most 64 bytes, a message of at most 4096, and no cells")
		}
	}
	if n := a.Noise; n != nil && (!finite(n.Epsilon) || n.Epsilon <= 0 || !finite(n.Left) || n.Left < 0 || len(n.Mechanism) > maxLabelBytes || len(n.Period) > maxLabelBytes) {
		return errors.New("noise: ε must be positive and finite")
	}
	var cov Coverage
	for i, c := range a.Cells {
		if c.Group == nil || len(c.Group) > maxGroupValues {
			return fmt.Errorf("cell %d: a group of 0..%d values is needed", i, maxGroupValues)
		}
		for _, g := range c.Group {
			if len(g) > maxLabelBytes || !utf8.ValidString(g) {
				return fmt.Errorf("cell %d: a group value is not 0..%d bytes of UTF-8", i, maxLabelBytes)
			}
		}
		cov.Cells++
		if c.Suppressed {
			cov.Suppressed++
			if c.N != nil || c.Sum != nil || c.True != nil || c.Quantile != nil || c.Noise != nil {
				return fmt.Errorf("cell %d is suppressed and carries figures", i)
			}
			if !slices.Contains(suppressionReasons, c.Reason) {
				return fmt.Errorf("cell %d: unknown suppression reason %q", i, clip(c.Reason, 20))
			}
			if c.Earlier != nil && (c.Reason != SuppressedDifferencing || c.Earlier.checkNoise() != nil) {
				return fmt.Errorf("cell %d: earlier figures only come with the differencing guard", i)
			}
			continue
		}
		cov.Released++
		if c.Reason != "" || c.Earlier != nil {
			return fmt.Errorf("cell %d is released and carries a suppression reason", i)
		}
		if err := c.checkNoise(); err != nil {
			return fmt.Errorf("cell %d: %w", i, err)
		}
	}
	if cov != a.Coverage {
		return fmt.Errorf("coverage %+v does not match the cells (%+v)", a.Coverage, cov)
	}
	return nil
}

func (f *Figures) checkNoise() error {
	if n := f.Noise; n != nil {
		for _, b := range []float64{n.N, n.Sum, n.True} {
			if !finite(b) || b < 0 {
				return errors.New("a noise scale must be finite and ≥ 0")
			}
		}
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
