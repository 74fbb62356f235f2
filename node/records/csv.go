package records

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// CSV as spreadsheets export it: the first row holds field ids, each
// further row one record. UTF-8 with or without a byte-order mark; comma,
// semicolon (what a spreadsheet set to a Balkan or French locale writes)
// or tab separated, detected from the header row; the values of a set in
// one cell separated by sdk.SetSeparator ("shelter;medical"). Columns
// whose header starts with "_" and names record metadata (MetaColumns)
// are what kolo record export writes besides the fields; import ignores
// them.

// MetaColumns are the columns kolo record export writes before the
// fields, and import skips.
var MetaColumns = []string{"_id", "_form", "_date", "_created", "_updated", "_version"}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// notUTF8 is the rule for text that is not UTF-8.
const notUTF8 = `must be UTF-8 text: save the file as "CSV UTF-8" (Excel) or with character set "Unicode (UTF-8)" (LibreOffice)`

// parseCSV reads a CSV file on form fi.
func parseCSV(src *source, fi sdk.FormInfo, c *chunker) error {
	br, err := openText(src)
	if err != nil {
		return err
	}
	comma := sniffComma(br)
	guard := newCSVGuard(br, comma)
	cr := csv.NewReader(guard)
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // rows may be shorter than the header (spreadsheets drop empty trailing cells)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return RowError{Row: 1, Rule: "the file is empty: its first row must hold the form's field ids (kolo forms show " + fi.ID + ")"}
	}
	if err != nil {
		return csvError(1, err)
	}
	sf := newSheetForm(fi)
	cols, err := csvColumns(sf, header)
	if err != nil {
		return err
	}
	for row := 2; ; row++ {
		start := cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if ferr := c.flush(); ferr != nil {
				return ferr
			}
			return csvError(row, err)
		}
		if !c.checking() {
			if !blankRow(rec) {
				c.skip(row)
			}
			continue
		}
		a, m, errs, blank := csvRow(sf, cols, row, rec)
		if blank {
			continue
		}
		if err := c.add(row, int(cr.InputOffset()-start), a, m, errs); err != nil {
			return err
		}
	}
	return c.flush()
}

// csvColumns maps the header's columns to field ids: "" for a column
// without a header (its cells must be empty), the column's name for a
// metadata column ("_id").
// A header is a field id, a template's "Label * [field_id]", or the
// field's label in any of the form's languages.
func csvColumns(sf *sheetForm, header []string) ([]string, error) {
	fi := sf.fi
	cols := make([]string, len(header))
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		id, known := sf.column(h)
		switch {
		case !utf8.ValidString(h):
			return nil, RowError{Row: 1, Field: "column " + columnName(i), Rule: notUTF8}
		case h == "":
			continue
		case isMetaColumn(h):
			cols[i] = h // "_id", "_version", …: field ids never start with "_"
			continue
		case !known:
			return nil, RowError{Row: 1, Field: clip(h, 64), Rule: fmt.Sprintf(
				"is not a field of %s: the first row must hold the form's field ids or their labels (kolo forms show %s lists them)", fi.Ref(), fi.ID)}
		}
		if j, dup := seen[id]; dup {
			return nil, RowError{Row: 1, Field: id, Rule: fmt.Sprintf("is the header of columns %s and %s: a field may have one column only", columnName(j), columnName(i))}
		}
		seen[id] = i
		cols[i] = id
	}
	if len(seen) == 0 {
		return nil, RowError{Row: 1, Rule: fmt.Sprintf("the first row names no field of %s: it must hold the form's field ids or their labels (kolo forms show %s lists them)", fi.Ref(), fi.ID)}
	}
	return cols, nil
}

func isMetaColumn(h string) bool {
	for _, m := range MetaColumns {
		if h == m {
			return true
		}
	}
	return false
}

// csvRow turns one CSV row into answers and problems; blank reports a
// row with no value at all (spreadsheets export empty rows as ",,,,"). A
// cell that does not parse is reported and left out of the answers, which
// still go to the plugin, so that one run reports every problem of a row.
func csvRow(sf *sheetForm, cols []string, row int, rec []string) (a sdk.Answers, m rowMeta, errs []RowError, blank bool) {
	if blankRow(rec) {
		return nil, m, nil, true
	}
	var id, version string
	a = make(sdk.Answers, len(cols))
	beyond, last := -1, -1 // the first and last cell with a value beyond the header
	for i, cell := range rec {
		if strings.TrimSpace(cell) == "" {
			continue
		}
		switch {
		case i >= len(cols):
			if beyond < 0 {
				beyond = i
			}
			last = i
		case cols[i] == "_id":
			id = strings.TrimSpace(cell)
		case cols[i] == "_version":
			version = strings.TrimSpace(cell)
		case strings.HasPrefix(cols[i], "_"):
		case cols[i] == "":
			errs = append(errs, RowError{Row: row, Field: "column " + columnName(i),
				Rule: "holds a value, but its column has no field id in the header row"})
		case !utf8.ValidString(cell):
			errs = append(errs, RowError{Row: row, Field: cols[i], Rule: notUTF8})
		default:
			f := sf.fields[cols[i]]
			v, rule := sf.cell(f, cell)
			if rule != "" {
				errs = append(errs, RowError{Row: row, Field: cols[i], Rule: rule, Got: clip(strings.TrimSpace(cell), 64)})
				continue
			}
			a[cols[i]] = answerOf(f, v)
		}
	}
	switch {
	case beyond >= 0 && beyond == last:
		errs = append(errs, RowError{Row: row, Field: "column " + columnName(beyond),
			Rule: fmt.Sprintf("holds a value, but the header row has only %d columns", len(cols))})
	case beyond >= 0:
		errs = append(errs, RowError{Row: row, Field: "columns " + columnName(beyond) + " to " + columnName(last),
			Rule: fmt.Sprintf("hold values, but the header row has only %d columns", len(cols))})
	}
	m, merrs := metaOf(row, false, id, version)
	errs = append(errs, merrs...)
	return a, m, errs, false
}

func blankRow(rec []string) bool {
	for _, cell := range rec {
		if strings.TrimSpace(cell) != "" {
			return false
		}
	}
	return true
}

// csvError turns encoding/csv's error into a RowError naming the row and
// the line of the file.
func csvError(row int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		what := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			what = `a cell that holds a quote (") must itself be in quotes, with the quote doubled ("")`
		case errors.Is(pe.Err, csv.ErrQuote):
			what = "a quoted cell is not closed, or a quote is followed by more text"
		}
		return RowError{Row: row, Rule: fmt.Sprintf("is not valid CSV (line %d of the file, column %d): %s", pe.Line, pe.Column, what)}
	}
	return err
}

// openText opens a text file (CSV, JSON Lines) for reading as UTF-8: it
// skips a UTF-8 byte-order mark, refuses UTF-16, which spreadsheets write
// as "Unicode text", and reads a file in another encoding as UTF-8 (see
// textReader).
func openText(src *source) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(src.in, 64<<10)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		_, _ = br.Discard(len(utf8BOM))
		return br, nil // the mark says UTF-8
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, RowError{Row: 1, Rule: "the file is UTF-16 (\"Unicode text\"); it " + notUTF8}
	}
	br, enc, err := textReader(br, src.encoding)
	if err != nil {
		return nil, err
	}
	if enc != "" {
		src.read = encodingNote(enc, src.encoding == "")
	}
	return br, nil
}

// sniffComma picks the separator of the header row: comma, semicolon or
// tab, whichever appears most often outside quotes (comma when none does).
func sniffComma(br *bufio.Reader) rune {
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	counts := map[rune]int{}
	quoted := false
	for _, b := range head {
		switch {
		case b == '"':
			quoted = !quoted
		case !quoted && (b == ',' || b == ';' || b == '\t'):
			counts[rune(b)]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// columnName names a column as spreadsheets do: A, B, …, Z, AA, AB, …
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
