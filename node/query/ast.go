package query

import (
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Func is an aggregate function.
type Func string

// The aggregates. There is no min, max or listing of values: each would
// reveal a single record.
const (
	Count     Func = "count"     // records
	Sum       Func = "sum"       // sum of a numeric indicator
	Mean      Func = "mean"      // sum / records answering it
	Share     Func = "share"     // records where a bool indicator is true / records answering it
	Median    Func = "median"    // the 0.5 quantile
	Quantile  Func = "quantile"  // the p quantile (inverse of the empirical distribution)
	Histogram Func = "histogram" // records per bin of a numeric indicator
)

var funcs = []Func{Count, Sum, Mean, Share, Median, Quantile, Histogram}

// Query is a parsed aggregate query. Parse and ParseJSON return only
// queries that passed every check; String gives its canonical text.
type Query struct {
	Agg  Aggregate
	Kind sdk.Kind
	// By are the groups, in order: "country", "year", "sub_jurisdiction",
	// or an enum or bool indicator of Kind.
	By []Group
	// Where selects records; nil selects every record.
	Where Expr
	// Between bounds the kind's event date, both ends included.
	Between *DateRange

	kindPos Pos
}

// Aggregate is what a query computes per cell.
type Aggregate struct {
	Func Func
	// Indicator is the indicator aggregated; "" for count.
	Indicator string
	// Permille is a quantile's p in thousandths (500 for median).
	Permille int
	// Edges are a histogram's edges, increasing.
	Edges []Value

	Pos Pos // of the function name
	// IndicatorPos is where Indicator is written.
	IndicatorPos Pos
}

// Group is one grouping after "by".
type Group struct {
	Name string
	Pos  Pos
}

// DateRange is the range of "between": From and To as YYYY-MM-DD.
type DateRange struct {
	From, To string
	Pos      Pos
}

// Expr is a where expression: *And, *Or, *Not or *Compare.
type Expr interface{ pos() Pos }

// And holds when every term holds.
type And struct {
	Terms []Expr
	Pos   Pos
}

// Or holds when any term holds.
type Or struct {
	Terms []Expr
	Pos   Pos
}

// Not holds when X does not.
type Not struct {
	X   Expr
	Pos Pos
}

// Op is a comparison operator.
type Op string

// The comparison operators.
const (
	Eq    Op = "="
	Ne    Op = "!="
	Lt    Op = "<"
	Le    Op = "<="
	Gt    Op = ">"
	Ge    Op = ">="
	In    Op = "in"
	NotIn Op = "not in"
)

var ops = []Op{Eq, Ne, Lt, Le, Gt, Ge, In, NotIn}

// Compare compares a field (an indicator, "country", "sub_jurisdiction" or
// "year") with one value, or with a list for In and NotIn.
type Compare struct {
	Field  string
	Op     Op
	Values []Value
	Pos    Pos // of the field
}

func (e *And) pos() Pos     { return e.Pos }
func (e *Or) pos() Pos      { return e.Pos }
func (e *Not) pos() Pos     { return e.Pos }
func (e *Compare) pos() Pos { return e.Pos }

// ValueKind is the lexical kind of a value.
type ValueKind int

// Kinds of values.
const (
	Word   ValueKind = iota // an enum or set value, a country or sub-jurisdiction
	Number                  // digits, at most two decimals
	Date                    // YYYY-MM-DD
	Bool                    // true or false
)

// Value is a literal in a query.
type Value struct {
	Kind ValueKind
	// Text is the value's canonical text: the word, the date, "true" or
	// "false", or the number in its shortest form ("12.5").
	Text string
	// Hundredths is a Number times 100 (it has at most two decimals).
	Hundredths int64
	Pos        Pos
}

// Pos is where something is written: a byte offset in the query text, or
// a path in the JSON form.
type Pos struct {
	Offset int    // -1 in a query decoded from JSON
	Path   string // "" in a query parsed from text
}
