package records

import (
	"errors"
	"io"
	"sync/atomic"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// How an import's file becomes rows for the plugin: a parser (CSV or JSON
// Lines) reads the file through a limitedReader and hands chunks of rows
// to the checking stage through a chunker.
//
// Memory stays bounded whatever the file holds: a row is at most
// MaxRecordBytes (and, in CSV, MaxRowCells cells) before it is parsed; a
// chunk holds at most chunkRows rows and about chunkBytes bytes of them;
// and once MaxImportErrors problems are found the parser only counts the
// remaining rows, so the problems held stay few.

// chunkBytes is about the most bytes of rows (as read from the file) one
// chunk holds: the answers parsed from them take a few times more.
const chunkBytes = 1 << 20

// rowChunk is a run of parsed rows on their way to the plugin.
type rowChunk struct {
	rows    []int // row (or line) numbers
	answers []sdk.Answers
	meta    []rowMeta    // per answers: the row's _id and _version
	pre     [][]RowError // per answers: problems found while reading the row
	errs    []RowError   // rows that could not be read into answers
	read    int          // rows read in this chunk, good or bad
	size    int          // bytes of the rows read in this chunk
	bytes   int64        // bytes of the file read so far
	lines   bool         // rows are lines of a JSON Lines file
	records bool         // rows are records of a JSON export
	// unchecked counts rows read after checking stopped (MaxImportErrors
	// problems found), from row uncheckedFrom on.
	unchecked, uncheckedFrom int
}

// parser reads a file's rows into chunks for the plugin, handing them to
// c, and returns a RowError for a problem that ends the reading (the CSV
// syntax, a bad header, a row over a cap), ErrInvalid for a file too
// large or not text, emit's error, or a read error.
type parser func(src *source, fi sdk.FormInfo, c *chunker) error

// source is an import's file as a parser reads it.
type source struct {
	in       *limitedReader
	encoding string // ImportOptions.Encoding: "" to detect
	sheet    string // ImportOptions.Sheet
	// read says how the parser read the file when that is worth saying
	// (encodingNote), for ImportResult.Read.
	read string
}

// chunker gathers parsed rows into chunks for the plugin.
type chunker struct {
	in      *limitedReader
	emit    func(rowChunk) error
	cur     rowChunk
	lines   bool
	records bool
	// problems counts the problems found so far, by the parser and by the
	// plugin (the checking stage adds its own): at MaxImportErrors the
	// parser stops checking rows.
	problems *atomic.Int64
}

// newChunkerFor returns a chunker of the rows read from in, counting
// problems in problems.
func newChunkerFor(in *limitedReader, problems *atomic.Int64, emit func(rowChunk) error) *chunker {
	return &chunker{in: in, emit: emit, problems: problems}
}

// checking reports whether rows are still to be checked: false once
// MaxImportErrors problems were found. A parser then calls skip for each
// further row instead of parsing it.
func (c *chunker) checking() bool { return c.problems.Load() < MaxImportErrors }

// skip counts a row read after checking stopped.
func (c *chunker) skip(row int) {
	if c.cur.unchecked == 0 {
		c.cur.uncheckedFrom = row
	}
	c.cur.unchecked++
}

// add notes one row read, of size bytes in the file: its answers, to be
// checked by the plugin, and the problems already found in it. Answers
// are nil for a row that cannot be checked at all; otherwise the problems
// are of cells left out of them.
func (c *chunker) add(row, size int, a sdk.Answers, m rowMeta, errs []RowError) error {
	c.cur.read++
	c.cur.size += size
	c.problems.Add(int64(len(errs)))
	if a == nil {
		c.cur.errs = append(c.cur.errs, errs...)
	} else {
		c.cur.rows = append(c.cur.rows, row)
		c.cur.answers = append(c.cur.answers, a)
		c.cur.meta = append(c.cur.meta, m)
		c.cur.pre = append(c.cur.pre, errs)
	}
	if c.cur.read >= chunkRows || c.cur.size >= chunkBytes || !c.checking() {
		return c.flush()
	}
	return nil
}

// flush sends the chunk so far.
func (c *chunker) flush() error {
	if c.cur.read == 0 && c.cur.unchecked == 0 {
		return nil
	}
	c.cur.bytes, c.cur.lines, c.cur.records = c.in.read, c.lines, c.records
	if err := c.emit(c.cur); err != nil {
		return err
	}
	c.cur = rowChunk{}
	return nil
}

// limitedReader reads at most left bytes and then fails with an error
// naming the cap, rather than stopping quietly as io.LimitReader does.
type limitedReader struct {
	r     io.Reader
	left  int64
	read  int64
	limit int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a file of exactly the cap from a larger one.
		var one [1]byte
		n, err := io.ReadFull(l.r, one[:])
		switch {
		case n > 0:
			return 0, invalidf("the file is larger than %s, the most one import reads: split it into several files", sizeName(int(l.limit)))
		case err == nil, errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return 0, io.EOF
		}
		return 0, err // such as the HTTP server's own cap on the body
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	l.read += int64(n)
	return n, err
}
