package query

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Part is one node's part of a federated query, as the requester holds
// it after checking the node's signature and membership.
type Part struct {
	Node string // the answering node (its peer ID or organisation)
	// Answer is the node's answer; nil when none came.
	Answer *Answer
	// Missing says why there is no answer ("no answer by the deadline")
	// when Answer is nil.
	Missing string
}

// Node statuses in a Combined answer.
const (
	StatusAnswered = "answered"
	StatusRefused  = "refused"
	StatusMissing  = "missing"
	StatusMismatch = "mismatch" // the answer is for another query text; not used
)

// NodeStatus is one node's coverage of a combined answer.
type NodeStatus struct {
	Node       string  `json:"node"`
	Status     string  `json:"status"`
	Reason     string  `json:"reason,omitempty"`
	Message    string  `json:"message,omitempty"`
	Released   int     `json:"released"`
	Suppressed int     `json:"suppressed"`
	Epsilon    float64 `json:"epsilon,omitempty"` // ε the query spent there
}

// Combined is a federated answer: the nodes' parts merged cell by cell.
type Combined struct {
	Query     string `json:"query"`
	Aggregate Func   `json:"aggregate"`
	// Unit is the unit of Value for sum, mean and quantiles: "months",
	// "days", "items" or "EUR"; "records" for count and histogram; "" for
	// share (a proportion 0..1).
	Unit  string         `json:"unit"`
	Cells []CombinedCell `json:"cells"`
	Nodes []NodeStatus   `json:"nodes"`
	// Complete is true when every node answered and no cell was
	// suppressed anywhere.
	Complete bool `json:"complete"`
}

// CombinedCell is one cell of a combined answer.
type CombinedCell struct {
	Group []string `json:"group"`
	// Value is the cell's figure in Unit: the total count, the total sum,
	// the pooled mean (total sum / total count), the pooled share (total
	// true / total answering), or a quantile's estimate. nil when every
	// node suppressed the cell.
	Value *float64 `json:"value,omitempty"`
	// N is the number of records behind Value (where the aggregate has it).
	N *int64 `json:"n,omitempty"`
	// Interval bounds a quantile combined from several nodes: the pooled
	// quantile lies between the smallest and the largest node quantile.
	Interval *Interval `json:"interval,omitempty"`
	// Exact is false for a quantile estimated from several nodes.
	Exact bool `json:"exact"`
	// Method says how a quantile was combined.
	Method string `json:"method,omitempty"`
	// NoiseSD is the standard deviation of the noise in Value (a delta-
	// method approximation for means and shares), when nodes noised it.
	NoiseSD *float64 `json:"noise_sd,omitempty"`
	// Nodes are the nodes whose figures are in Value.
	Nodes []string `json:"nodes"`
	// Partial is true when some node suppressed this cell: Value leaves
	// that node's records out (they are not counted as zero).
	Partial    bool           `json:"partial"`
	Suppressed []SuppressedAt `json:"suppressed,omitempty"`
}

// Interval is a closed range of values.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// SuppressedAt says which node suppressed a cell and why.
type SuppressedAt struct {
	Node    string   `json:"node"`
	Reason  string   `json:"reason"`
	Earlier *Earlier `json:"earlier,omitempty"`
}

// acc gathers one cell's parts.
type acc struct {
	group             []string
	n, sum, tru       int64
	hasN              bool
	varN, varS, varT  float64
	quantiles, counts []int64
	cell              CombinedCell
}

// Combine merges the answers of several nodes to q: counts and sums add,
// means and shares are total over total (which is why nodes send both),
// histograms add bin by bin, and a quantile is exact when one node
// answers the cell; from several it is estimated by the count-weighted
// mean of the node quantiles, within the interval between the smallest
// and the largest of them, which always holds the pooled quantile. A cell
// suppressed at a node makes the combined cell partial; it is never taken
// for zero. Answers for another query text are set aside as mismatches.
func Combine(q *Query, parts []Part) *Combined {
	text := q.String()
	out := &Combined{Query: text, Aggregate: q.Agg.Func, Unit: displayUnit(q), Cells: []CombinedCell{}, Nodes: []NodeStatus{}, Complete: true}
	scale := 1.0
	if unitOf(q) == "eur_cents" {
		scale = 0.01
	}
	cells := map[string]*acc{}
	var order []*acc
	for _, part := range parts {
		st := NodeStatus{Node: part.Node}
		a := part.Answer
		switch {
		case a == nil:
			st.Status, st.Reason = StatusMissing, part.Missing
		case a.Query != text:
			st.Status, st.Reason = StatusMismatch, "the answer is for another query: "+clip(a.Query, 200)
		case a.Refused != nil:
			st.Status, st.Reason, st.Message = StatusRefused, a.Refused.Reason, a.Refused.Message
		default:
			st.Status = StatusAnswered
		}
		if st.Status != StatusAnswered {
			out.Complete = false
			out.Nodes = append(out.Nodes, st)
			continue
		}
		if a.Noise != nil {
			st.Epsilon = a.Noise.Epsilon
		}
		for _, c := range a.Cells {
			key := strings.Join(c.Group, "\x00")
			x, ok := cells[key]
			if !ok {
				x = &acc{group: c.Group, cell: CombinedCell{Group: c.Group, Nodes: []string{}}}
				cells[key] = x
				order = append(order, x)
			}
			if c.Suppressed {
				st.Suppressed++
				out.Complete = false
				x.cell.Partial = true
				x.cell.Suppressed = append(x.cell.Suppressed, SuppressedAt{Node: part.Node, Reason: c.Reason, Earlier: c.Earlier})
				continue
			}
			st.Released++
			x.add(part.Node, c.Figures)
		}
		out.Nodes = append(out.Nodes, st)
	}
	for _, x := range order {
		out.Cells = append(out.Cells, x.finish(q.Agg.Func, scale))
	}
	slices.SortStableFunc(out.Cells, func(a, b CombinedCell) int { return compareGroups(a.Group, b.Group) })
	return out
}

func (x *acc) add(node string, f Figures) {
	x.cell.Nodes = append(x.cell.Nodes, node)
	var fn FigureNoise
	if f.Noise != nil {
		fn = *f.Noise
	}
	if f.N != nil {
		x.n += *f.N
		x.hasN = true
		x.varN += laplaceVariance(fn.N)
	}
	if f.Sum != nil {
		x.sum += *f.Sum
		x.varS += laplaceVariance(fn.Sum)
	}
	if f.True != nil {
		x.tru += *f.True
		x.varT += laplaceVariance(fn.True)
	}
	if f.Quantile != nil && f.N != nil {
		x.quantiles = append(x.quantiles, *f.Quantile)
		x.counts = append(x.counts, *f.N)
	}
}

func (x *acc) finish(fn Func, scale float64) CombinedCell {
	c := x.cell
	if len(c.Nodes) == 0 {
		return c // suppressed everywhere: no value
	}
	set := func(v, variance float64) {
		c.Value = &v
		if variance > 0 {
			sd := math.Sqrt(variance)
			c.NoiseSD = &sd
		}
	}
	if x.hasN {
		c.N = ptr(x.n)
	}
	c.Exact = true
	switch fn {
	case Count, Histogram:
		set(float64(x.n), x.varN)
	case Sum:
		set(float64(x.sum)*scale, x.varS*scale*scale)
	case Mean:
		if x.n > 0 {
			n, s := float64(x.n), float64(x.sum)
			set(s/n*scale, (x.varS/(n*n)+s*s*x.varN/(n*n*n*n))*scale*scale)
		}
	case Share:
		if x.n > 0 {
			n, t := float64(x.n), float64(x.tru)
			set(t/n, x.varT/(n*n)+t*t*x.varN/(n*n*n*n))
		}
	case Median, Quantile:
		if len(x.quantiles) == 1 {
			set(float64(x.quantiles[0])*scale, 0)
			c.Method = "exact: the quantile of the one node that released this cell"
			break
		}
		var w, total float64
		lo, hi := x.quantiles[0], x.quantiles[0]
		for i, v := range x.quantiles {
			w += float64(v) * float64(x.counts[i])
			total += float64(x.counts[i])
			lo, hi = min(lo, v), max(hi, v)
		}
		set(w/total*scale, 0)
		c.Interval = &Interval{Low: float64(lo) * scale, High: float64(hi) * scale}
		c.Exact = false
		c.Method = "estimate: count-weighted mean of " + strconv.Itoa(len(x.quantiles)) +
			" node quantiles; the pooled quantile lies in the interval between the smallest and the largest"
	}
	return c
}

// laplaceVariance is the variance of discrete Laplace noise of scale b:
// 2q/(1-q)² with q = exp(-1/b); 0 for no noise.
func laplaceVariance(b float64) float64 {
	if b <= 0 {
		return 0
	}
	q := math.Exp(-1 / b)
	return 2 * q / ((1 - q) * (1 - q))
}

// displayUnit is the unit of a Combined's values.
func displayUnit(q *Query) string {
	switch q.Agg.Func {
	case Count, Histogram:
		return "records"
	case Share:
		return ""
	}
	if u := unitOf(q); u != "eur_cents" {
		return u
	}
	return "EUR"
}

// compareGroups orders groups value by value: "" first, numbers (years)
// by value, histogram bins by their lower edge, other values by text.
func compareGroups(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if c := compareLabel(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

func compareLabel(a, b string) int {
	na, aok := labelNumber(a)
	nb, bok := labelNumber(b)
	if aok && bok {
		switch {
		case na < nb:
			return -1
		case na > nb:
			return 1
		}
		return 0
	}
	return strings.Compare(a, b)
}

// labelNumber reads a number or the lower edge of a bin label.
func labelNumber(s string) (float64, bool) {
	if strings.HasPrefix(s, "(-inf,") {
		return math.Inf(-1), true
	}
	if strings.HasPrefix(s, "[") {
		lo, _, ok := strings.Cut(s[1:], ",")
		if !ok {
			return 0, false
		}
		s = lo
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
