package records

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// parseJSONL reads a JSON Lines file: one JSON object of answers per line
// (blank lines skipped), UTF-8 with or without a byte-order mark.
func parseJSONL(in *limitedReader, fi sdk.FormInfo, emit func(rowChunk) error) error {
	c := &chunker{in: in, emit: emit, lines: true}
	br := bufio.NewReader(in)
	if err := skipBOM(br); err != nil {
		var re RowError
		if errors.As(err, &re) {
			re.Line = true
			return re
		}
		return err
	}
	for line := 1; ; line++ {
		data, tooLong, err := readLine(br, MaxRecordBytes)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		switch {
		case tooLong:
			if aerr := c.add(line, nil, []RowError{{Row: line, Line: true,
				Rule: fmt.Sprintf("is larger than %s, the most one record may hold", sizeName(MaxRecordBytes))}}); aerr != nil {
				return aerr
			}
		case len(bytes.TrimSpace(data)) > 0:
			a, perr := ParseAnswers(data)
			var errs []RowError
			if perr != nil {
				a, errs = nil, []RowError{{Row: line, Line: true, Rule: perr.Error()}}
			}
			if aerr := c.add(line, a, errs); aerr != nil {
				return aerr
			}
		}
		if errors.Is(err, io.EOF) {
			return c.flush()
		}
	}
}

// readLine reads one line without its line break. A line longer than max
// is skipped to its end and reported as tooLong. err is io.EOF at the end
// of the file (with the last line, if it has no line break).
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		part, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(part) > max+2 { // +2: the line break, \r\n
				tooLong, buf = true, nil
			} else {
				buf = append(buf, part...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return buf, tooLong, err
	}
}
