package records

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// parseJSONL reads a JSON Lines file: one JSON object of answers per line
// (blank lines skipped), UTF-8 with or without a byte-order mark. A line
// is at most MaxRecordBytes; one with more keys than the form has fields
// is refused without being held.
func parseJSONL(src *source, fi sdk.FormInfo, c *chunker) error {
	c.lines = true
	br, err := openText(src)
	if err != nil {
		var re RowError
		if errors.As(err, &re) {
			re.Line = true
			return re
		}
		return err
	}
	sf := newSheetForm(fi)
	var buf []byte // reused from line to line: ParseAnswers copies what it keeps
	for line := 1; ; line++ {
		data, size, tooLong, err := readLine(br, buf[:0], MaxRecordBytes)
		buf = data
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		switch {
		case !tooLong && len(bytes.TrimSpace(data)) == 0:
		case !c.checking():
			c.skip(line)
		case tooLong:
			if aerr := c.add(line, size, nil, rowMeta{}, []RowError{{Row: line, Line: true,
				Rule: fmt.Sprintf("is larger than %s, the most one record may hold", sizeName(MaxRecordBytes))}}); aerr != nil {
				return aerr
			}
		default:
			var (
				a    sdk.Answers
				errs []RowError
			)
			if n := topLevelKeys(data, len(fi.Fields)); n > len(fi.Fields) {
				errs = []RowError{{Row: line, Line: true, Rule: fmt.Sprintf(
					"has more answers than the %d fields of %s (kolo forms show %s lists them)", len(fi.Fields), fi.Ref(), fi.ID)}}
			} else if answers, perr := ParseAnswers(data); perr != nil {
				errs = []RowError{{Row: line, Line: true, Rule: perr.Error()}}
			} else {
				a = sf.answers(answers)
			}
			if aerr := c.add(line, size, a, rowMeta{}, errs); aerr != nil {
				return aerr
			}
		}
		if errors.Is(err, io.EOF) {
			return c.flush()
		}
	}
}

// topLevelKeys counts the keys of the JSON object data up to max+1, so
// that a line of thousands of keys is refused before it is decoded into a
// map. Every key is followed by a colon, so a line with at most max colons
// needs no counting. Malformed JSON counts 0: ParseAnswers reports it.
func topLevelKeys(data []byte, max int) int {
	if bytes.Count(data, []byte(":")) <= max {
		return 0
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0
	}
	n := 0
	for n <= max && dec.More() {
		if _, err := dec.Token(); err != nil { // the key
			return 0
		}
		n++
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return 0
		}
	}
	return n
}

// readLine reads one line without its line break. A line longer than max
// is skipped to its end and reported as tooLong. size is the line's
// length in the file. The line is appended to buf. err is io.EOF at the
// end of the file (with the last line, if it has no line break).
func readLine(br *bufio.Reader, buf []byte, max int) (line []byte, size int, tooLong bool, err error) {
	for {
		part, err := br.ReadSlice('\n')
		size += len(part)
		if !tooLong {
			if len(buf)+len(part) > max+2 { // +2: the line break, \r\n
				tooLong, buf = true, buf[:0]
			} else {
				buf = append(buf, part...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return buf, size, tooLong, err
	}
}
