package records

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kolo-net/kolo/plugins/sdk"
)

var (
	// ErrInvalid is matched (errors.Is) by every error about bad input: an
	// unknown form, answers its form refuses, a file too large, not UTF-8,
	// a bad row of an import. Nothing was stored.
	ErrInvalid = errors.New("invalid input")
	// ErrNotFound is matched by the error for a record that does not exist.
	ErrNotFound = errors.New("no such record")
	// ErrDeleted is matched by the error for editing or deleting a deleted
	// record.
	ErrDeleted = errors.New("record is deleted")
	// ErrChanged is matched by the error of an edit or delete that raced
	// another change of the same record; run it again.
	ErrChanged = errors.New("record changed meanwhile")
)

// invalidError is an error about bad input; it matches ErrInvalid.
type invalidError struct{ msg string }

func (e *invalidError) Error() string        { return e.msg }
func (e *invalidError) Is(target error) bool { return target == ErrInvalid }

func invalidf(format string, args ...any) error {
	return &invalidError{msg: fmt.Sprintf(format, args...)}
}

// InvalidRecordError says why a record's answers were refused. It matches
// ErrInvalid and sdk.ErrInvalidAnswers.
type InvalidRecordError struct {
	Form   string           `json:"form"` // "rs.judgment@2"
	Errors []sdk.FieldError `json:"errors"`
}

func (e *InvalidRecordError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	return fmt.Sprintf("answers to %s are invalid, nothing was stored: %s", e.Form, strings.Join(msgs, "; "))
}

// Is matches ErrInvalid and sdk.ErrInvalidAnswers.
func (e *InvalidRecordError) Is(target error) bool {
	return target == ErrInvalid || target == sdk.ErrInvalidAnswers
}

// RowError is one problem with one row of an import.
type RowError struct {
	// Row is the row as a spreadsheet numbers it (the header is row 1, the
	// first record row 2) for CSV, and the line number for JSON Lines.
	Row  int  `json:"row"`
	Line bool `json:"line,omitempty"` // Row is a line of a JSON Lines file
	// Record: Row is the number of a record in a JSON export's array.
	Record bool   `json:"record,omitempty"`
	Field  string `json:"field,omitempty"` // field id (column); "" for the whole row
	Rule   string `json:"rule"`            // what is allowed
	Got    string `json:"got,omitempty"`
	// Code and Args are the plugin's code for the rule and its
	// arguments (sdk.FieldError), when it gave them, so that the web
	// interface can word the problem in the reader's language.
	Code string   `json:"code,omitempty"`
	Args []string `json:"args,omitempty"`
}

func (e RowError) Error() string {
	var b strings.Builder
	switch {
	case e.Record:
		fmt.Fprintf(&b, "record %d", e.Row)
	case e.Line:
		fmt.Fprintf(&b, "line %d", e.Row)
	default:
		fmt.Fprintf(&b, "row %d", e.Row)
	}
	b.WriteString(", ")
	b.WriteString(sdk.FieldError{Field: e.Field, Rule: e.Rule, Got: e.Got}.Error())
	return b.String()
}

// MaxImportErrors is the most row errors an import reports. Once it has
// found that many, it stops checking rows and only counts the rest (a
// few rows already on their way to the plugin are still checked, and
// their problems counted in More).
const MaxImportErrors = 100

// ImportError refuses an import: nothing was stored. It lists the first
// MaxImportErrors problems, one per line, each naming the row, the field and
// the rule. It matches ErrInvalid.
type ImportError struct {
	Errors  []RowError `json:"errors"`
	BadRows int        `json:"bad_rows"` // rows with at least one problem
	Rows    int        `json:"rows"`     // rows checked (up to the problem, if reading stopped)
	More    int        `json:"more"`     // problems found beyond Errors
	// Unchecked counts the rows after the point where checking stopped
	// (MaxImportErrors problems found), from row UncheckedFrom on.
	Unchecked     int `json:"unchecked,omitempty"`
	UncheckedFrom int `json:"unchecked_from,omitempty"`
}

func (e *ImportError) Error() string {
	var b strings.Builder
	n := len(e.Errors) + e.More
	fmt.Fprintf(&b, "import refused, nothing was stored: %d %s", n, plural(n, "problem", "problems"))
	if e.Rows > 0 {
		fmt.Fprintf(&b, " in %d of %d rows", e.BadRows, e.Rows)
	}
	for _, re := range e.Errors {
		b.WriteString("\n")
		b.WriteString(re.Error())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n… and %d more %s", e.More, plural(e.More, "problem", "problems"))
	}
	if e.Unchecked > 0 {
		row, rows := "row", "rows"
		if len(e.Errors) > 0 && e.Errors[0].Line {
			row, rows = "line", "lines"
		}
		fmt.Fprintf(&b, "\nchecking stopped after %d problems: the %d %s from %s %d on %s not checked",
			MaxImportErrors, e.Unchecked, plural(e.Unchecked, row, rows), row, e.UncheckedFrom, plural(e.Unchecked, "was", "were"))
	}
	return b.String()
}

// Is matches ErrInvalid.
func (e *ImportError) Is(target error) bool { return target == ErrInvalid }

// add notes a problem.
func (e *ImportError) add(re RowError) {
	if len(e.Errors) < MaxImportErrors {
		e.Errors = append(e.Errors, re)
	} else {
		e.More++
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
