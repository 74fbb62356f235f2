package records

import (
	"fmt"
	"io"
)

// csvGuard stands between the file and encoding/csv, which has no cap on
// a record: it reads a whole record, however many cells or bytes, into
// memory before returning it (a 16 MiB row of 8.4 million cells took
// 2.5 GiB of heap). The guard follows the CSV syntax byte by byte (quoted
// cells, doubled quotes, line breaks inside quotes, empty lines) to know
// where each record ends, and fails the read with a RowError naming the
// row as soon as a record passes MaxRowCells cells or MaxRecordBytes
// bytes, so encoding/csv never holds more than one capped record.
//
// Written by hand because no CSV library caps records (encoding/csv
// and its forks leave it to the caller); it does not parse, it only
// counts, and encoding/csv still judges the syntax.
type csvGuard struct {
	r     io.Reader
	comma byte

	row       int   // the record being read, as parseCSV numbers it (the header is 1)
	line      int   // line of the file being read, from 1
	cells     int   // cells of the record so far
	size      int   // bytes of the record so far, without its final line break
	quoted    bool  // inside a quoted cell
	quoteEnd  bool  // inside a quoted cell, just after a quote: the cell's end or a doubled quote
	cellStart bool  // at the start of a cell, where a quote opens a quoted one
	lastCR    bool  // the record's last byte was \r
	quoteLine int   // line where the open quoted cell started
	err       error // the error once a cap is passed
}

func newCSVGuard(r io.Reader, comma rune) *csvGuard {
	return &csvGuard{r: r, comma: byte(comma), row: 1, line: 1, cells: 1, cellStart: true}
}

// Read passes on the bytes of the file up to the first byte that passes a
// cap, then fails with a RowError.
func (g *csvGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		if g.err = g.step(p[i]); g.err != nil {
			return i, g.err
		}
	}
	return n, err
}

// step follows one byte of the file.
func (g *csvGuard) step(b byte) error {
	if b == '\n' {
		g.line++
	}
	if g.quoted {
		if !g.quoteEnd {
			if b == '"' {
				g.quoteEnd = true
			}
			return g.grow()
		}
		g.quoteEnd = false
		if b == '"' { // a doubled quote: still inside
			return g.grow()
		}
		g.quoted = false // the quote closed the cell; b follows it
	}
	switch {
	case b == '\n':
		if g.size > 0 && (g.size > 1 || !g.lastCR) { // encoding/csv skips empty lines, \r\n ones too
			g.row++
		}
		g.cells, g.size, g.cellStart, g.lastCR = 1, 0, true, false
		return nil
	case b == g.comma:
		g.cells++
		g.cellStart = true
		if g.cells > MaxRowCells {
			return RowError{Row: g.row, Rule: fmt.Sprintf(
				"has more than %d cells, the most one row may have: delete the columns after the form's last field", MaxRowCells)}
		}
	case b == '"' && g.cellStart:
		g.quoted, g.quoteLine, g.cellStart = true, g.line, false
	default:
		g.cellStart = false
	}
	g.lastCR = b == '\r'
	return g.grow()
}

// grow counts one byte of the record.
func (g *csvGuard) grow() error {
	g.size++
	if g.size <= MaxRecordBytes {
		return nil
	}
	rule := fmt.Sprintf("is larger than %s, the most one row may hold", sizeName(MaxRecordBytes))
	if g.quoted {
		rule += fmt.Sprintf(": a quoted cell starting on line %d of the file is not closed within it (check its closing quote)", g.quoteLine)
	}
	return RowError{Row: g.row, Rule: rule}
}
