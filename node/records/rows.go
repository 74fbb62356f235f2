package records

import (
	"errors"
	"io"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// How an import's file becomes rows for the plugin: a parser (CSV or JSON
// Lines) reads the file through a limitedReader and hands chunks of rows
// to the checking stage.

// rowChunk is a run of parsed rows on their way to the plugin.
type rowChunk struct {
	rows    []int // row (or line) numbers
	answers []sdk.Answers
	pre     [][]RowError // per answers: problems found while reading the row
	errs    []RowError   // rows that could not be read into answers
	read    int          // rows read in this chunk, good or bad
	bytes   int64        // bytes of the file read so far
	lines   bool         // rows are lines of a JSON Lines file
}

// parser reads a file's rows into chunks for the plugin, handing each to
// emit, and returns a RowError for a problem that ends the reading (the
// CSV syntax, a bad header), ErrInvalid for a file too large, emit's error,
// or a read error.
type parser func(in *limitedReader, fi sdk.FormInfo, emit func(rowChunk) error) error

// chunker gathers parsed rows into chunks for the plugin.
type chunker struct {
	in    *limitedReader
	emit  func(rowChunk) error
	cur   rowChunk
	lines bool
}

// add notes one row read: its answers, to be checked by the plugin, and
// the problems already found in it. Answers are nil for a row that cannot
// be checked at all; otherwise the problems are of cells left out of them.
func (c *chunker) add(row int, a sdk.Answers, errs []RowError) error {
	c.cur.read++
	if a == nil {
		c.cur.errs = append(c.cur.errs, errs...)
	} else {
		c.cur.rows = append(c.cur.rows, row)
		c.cur.answers = append(c.cur.answers, a)
		c.cur.pre = append(c.cur.pre, errs)
	}
	if len(c.cur.answers)+len(c.cur.errs) >= chunkRows {
		return c.flush()
	}
	return nil
}

// flush sends the chunk so far.
func (c *chunker) flush() error {
	if c.cur.read == 0 && len(c.cur.errs) == 0 {
		return nil
	}
	c.cur.bytes, c.cur.lines = c.in.read, c.lines
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
