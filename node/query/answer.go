package query

import (
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// AnswerFormat is the version of the Answer encoding.
const AnswerFormat = 1

// Answer is what a node sends back for a query: protected figures per cell,
// never a record, a record ID or a suppressed value. The lead's protocol
// seals it with age and signs it; this is its JSON.
type Answer struct {
	Format int    `json:"format"`
	Query  string `json:"query"` // the query's canonical text
	// Unit is the unit of Sum and Quantile: "months", "days", "items" or
	// "eur_cents"; "" for count, share and histogram, which count records.
	Unit string `json:"unit,omitempty"`
	// Refused, when set, says why the node released nothing; Cells is
	// then empty.
	Refused *Refusal `json:"refused,omitempty"`
	Cells   []Cell   `json:"cells"`
	// Coverage counts the answer's cells by fate.
	Coverage Coverage `json:"coverage"`
	// K is the minimum cell count the node applied (nfilter.tab).
	K int `json:"k"`
	// Noise, when set, says that the figures carry discrete Laplace noise
	// and how much ε the query spent.
	Noise *NoiseSpent `json:"noise,omitempty"`
}

// Refusal reasons.
const (
	ReasonSubset           = "subset_rule"       // the where selects fewer than k, or leaves out 1..k-1
	ReasonBudget           = "budget_spent"      // the requester's ε budget for the period is spent
	ReasonNoiseOff         = "noise_off"         // noise asked for; the node adds none
	ReasonNoiseUnsupported = "noise_unsupported" // noise on median or quantile
	ReasonEpsilon          = "epsilon_too_high"  // the query asks more ε than the node allows per query
	ReasonLimits           = "limits"            // the query is over this node's size limits
)

// Cell suppression reasons.
const (
	SuppressedMinCell      = "min_cell"     // fewer than k records (or a share count 1..k-1)
	SuppressedDifferencing = "differencing" // differs from a released cell by 1..k-1 records
)

// Refusal says why a node answered nothing.
type Refusal struct {
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// Coverage counts an answer's cells.
type Coverage struct {
	Cells      int `json:"cells"`
	Released   int `json:"released"`
	Suppressed int `json:"suppressed"`
}

// Cell is one cell of an answer. A suppressed cell carries no figure.
type Cell struct {
	// Group are the cell's group values in the query's order ("" where a
	// record does not answer a grouped indicator), then a histogram's bin.
	Group      []string `json:"group"`
	Suppressed bool     `json:"suppressed,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	Figures
	// Earlier, on a cell suppressed by the differencing guard, are the
	// figures this node released for the same query and cell to the same
	// requester before, with their date.
	Earlier *Earlier `json:"earlier,omitempty"`
}

// Figures are a cell's released numbers, by aggregate:
//
//	count, histogram   N (records)
//	sum                Sum
//	mean               Sum and N (mean = Sum / N)
//	share              True and N (share = True / N)
//	median, quantile   Quantile and N
type Figures struct {
	N        *int64 `json:"n,omitempty"`
	Sum      *int64 `json:"sum,omitempty"`
	True     *int64 `json:"true,omitempty"`
	Quantile *int64 `json:"quantile,omitempty"`
	// Noise gives the scale of the discrete Laplace noise in each figure.
	Noise *FigureNoise `json:"noise,omitempty"`
}

// FigureNoise are the scales b of the noise added to figures (variance
// 2q/(1-q)² with q = exp(-1/b)); 0 where a figure has none.
type FigureNoise struct {
	N    float64 `json:"n,omitempty"`
	Sum  float64 `json:"sum,omitempty"`
	True float64 `json:"true,omitempty"`
}

// Earlier are figures released before, with their release time.
type Earlier struct {
	Released time.Time `json:"released"`
	Figures
}

// NoiseSpent says how a query was noised.
type NoiseSpent struct {
	Mechanism string  `json:"mechanism"` // "discrete_laplace"
	Epsilon   float64 `json:"epsilon"`   // spent by this query
	Left      float64 `json:"left"`      // left in the requester's budget for the period
	Period    string  `json:"period"`    // "2026-03"
}

// unitOf is the unit of an aggregate's Sum and Quantile.
func unitOf(q *Query) string {
	switch q.Agg.Func {
	case Sum, Mean, Median, Quantile:
		ind, _ := sdk.LookupIndicator(q.Kind, q.Agg.Indicator)
		if ind.Type == sdk.IndicatorEUR {
			return "eur_cents"
		}
		return unitName(ind.Type)
	}
	return ""
}

// Refuse returns the answer of a node that releases nothing for q, with
// the reason (one of the Reason constants, or the caller's own, such as
// an authorisation failure) and a message for the requester.
func Refuse(q *Query, k int, reason, msg string) *Answer {
	text := ""
	if q != nil {
		text = q.String()
	}
	return &Answer{Format: AnswerFormat, Query: text, Refused: &Refusal{Reason: reason, Message: msg}, Cells: []Cell{}, K: k}
}

func ptr(v int64) *int64 { return &v }
