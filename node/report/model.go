package report

// FormatVersion is the version of the Report's JSON.
const FormatVersion = 1

// Report is the regional comparative report: its figures, their coverage
// and their provenance. It holds the identifiers of what it shows
// (indicator values, countries); Localize fills in the labels of one
// language, which every format carries.
type Report struct {
	Format int    `json:"format"`
	Lang   string `json:"lang"`
	Title  string `json:"title"`
	// Generated is when the report was built (RFC 3339, UTC).
	Generated string  `json:"generated"`
	Period    *Period `json:"period,omitempty"`
	Network   string  `json:"network"`
	// Asker is the member that asked the queries.
	Asker Member `json:"asker"`
	// Countries are the report's columns: the countries of the members
	// that answered with records of some kind, in code order.
	Countries []Country `json:"countries"`
	Sections  []Section `json:"sections"`
	// Declaration is the Declaration's endorsements as the asking node's
	// own ledger counts them.
	Declaration Declaration `json:"declaration"`
	// Targets are the strategy's targets and how far each country got.
	Targets []Target `json:"targets"`
	// Queries are the queries asked, numbered from 1: a figure's footnote
	// is its query's number.
	Queries []Query `json:"queries"`
}

// Member is a member of the network as the report names it.
type Member struct {
	Org     string `json:"org"`
	Country string `json:"country"`
	Peer    string `json:"peer"`
}

// Country is a column of the report.
type Country struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Section is a part of the report.
type Section struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Figures []Figure `json:"figures"`
}

// Figure is one table (and chart) of the report: rows by a category,
// one column per country.
type Figure struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Query is the number of the query behind the figure (Report.Queries).
	Query     int    `json:"query"`
	Aggregate string `json:"aggregate"`
	// Unit is the unit of the values: "records", "months", "days",
	// "items", "EUR", or "share" (a proportion 0..1).
	Unit string `json:"unit"`
	// RowsBy is what the rows are: "" (one row), "year", "bin" or an
	// indicator's name; RowsLabel names it.
	RowsBy    string `json:"rows_by,omitempty"`
	RowsLabel string `json:"rows_label,omitempty"`
	Rows      []Row  `json:"rows"`
	// Note says what the reader must know to read the figure (the period
	// not applied to records without an event date).
	Note string `json:"note,omitempty"`
}

// Row is one row of a figure.
type Row struct {
	Key   string `json:"key"` // the indicator value, year or bin; "" for records that do not answer it
	Label string `json:"label"`
	Cells []Cell `json:"cells"` // one per Report.Countries, in order
}

// Cell states.
const (
	// CellValue: the figure was released.
	CellValue = "value"
	// CellZero: the members of the country answered and hold no record
	// in the cell (a count or a sum of 0).
	CellZero = "zero"
	// CellNone: the members of the country answered and hold no record
	// the aggregate can be computed over (a mean, a share or a median of
	// nothing).
	CellNone = "none"
	// CellSuppressed: a member of the country suppressed the cell
	// (minimum cell count, differencing guard); no figure.
	CellSuppressed = "suppressed"
	// CellNoAnswer: no member of the country answered the query (refused,
	// or not by the deadline).
	CellNoAnswer = "no_answer"
)

// Cell is one country's figure in a row.
type Cell struct {
	Country string `json:"country"`
	State   string `json:"state"`
	// Value is the figure in the figure's unit (a share as 0..1); set for
	// CellValue and CellZero.
	Value *float64 `json:"value,omitempty"`
	// N is the number of records behind Value, where the aggregate says.
	N *int64 `json:"n,omitempty"`
	// Low and High bound a median combined from several members.
	Low  *float64 `json:"low,omitempty"`
	High *float64 `json:"high,omitempty"`
	// Partial is set when some member of the country suppressed the cell
	// or did not answer: Value leaves its records out.
	Partial bool `json:"partial,omitempty"`
	// Suppressed says which members suppressed the cell and why.
	Suppressed []Suppression `json:"suppressed,omitempty"`
	// NoiseSD is the standard deviation of the noise in Value, when
	// members noised it.
	NoiseSD *float64 `json:"noise_sd,omitempty"`
}

// Suppression is one member's suppression of a cell.
type Suppression struct {
	Org    string `json:"org"`
	Reason string `json:"reason"` // min_cell, differencing
	// Earlier, for a cell the differencing guard suppressed, is the
	// figure the member released for the same cell to the same asker
	// before, and when.
	Earlier *Earlier `json:"earlier,omitempty"`
}

// Earlier is a figure released before.
type Earlier struct {
	Released string  `json:"released"`
	Value    float64 `json:"value"`
}

// Query is one query of the report, with every member's part.
type Query struct {
	Number  int    `json:"number"`
	Figure  string `json:"figure"`
	ID      string `json:"id"`
	Text    string `json:"text"`
	Issued  string `json:"issued"`
	Expires string `json:"expires"`
	// Nodes are the members the query went to, with what each did.
	Nodes    []Answer `json:"nodes"`
	Coverage Coverage `json:"coverage"`
}

// Answer is one member's part in a query.
type Answer struct {
	Member
	State      string  `json:"state"` // answered, refused, waiting, missing
	Reason     string  `json:"reason,omitempty"`
	Message    string  `json:"message,omitempty"`
	Answered   string  `json:"answered,omitempty"`
	Signature  string  `json:"signature,omitempty"` // Ed25519, hex
	Released   int     `json:"released"`
	Suppressed int     `json:"suppressed"`
	Epsilon    float64 `json:"epsilon,omitempty"`
}

// Coverage sums up who answered a query and what was suppressed.
type Coverage struct {
	Members    int `json:"members"`
	Answered   int `json:"answered"`
	Refused    int `json:"refused"`
	Missing    int `json:"missing"` // no answer by the deadline, or not yet
	Released   int `json:"released"`
	Suppressed int `json:"suppressed"`
	// Epsilon is the largest ε a member spent on the query (0: no noise).
	Epsilon float64 `json:"epsilon,omitempty"`
}

// Declaration is the Declaration's count against its threshold.
type Declaration struct {
	Threshold int            `json:"threshold"`
	Count     int            `json:"count"`
	ByCountry []CountryCount `json:"by_country"`
}

// CountryCount is a count for one country.
type CountryCount struct {
	Country string `json:"country"`
	Name    string `json:"name"`
	Count   int    `json:"count"`
}

// Target is one of the strategy's targets with each country's progress.
type Target struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Goal is what each country should reach (GoalHigh, if set, the top
	// of a range: 6 to 10 meetings).
	Goal     int `json:"goal"`
	GoalHigh int `json:"goal_high,omitempty"`
	// Figure is the figure the progress comes from ("" for the
	// Declaration, counted by the asking node's ledger).
	Figure string `json:"figure,omitempty"`
	// Progress is each country's cell of that figure, or, for the
	// Declaration, one cell for the whole network.
	Progress []Cell `json:"progress"`
}
