package records

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Size caps on input. docs/records.md documents them.
const (
	// MaxRecordBytes caps one record's answers: the JSON a monitor adds or
	// edits, one line of a JSON Lines import, one row of a CSV import (its
	// cells added up). A judgment is about 1 KiB.
	MaxRecordBytes = 256 << 10
	// MaxImportBytes caps an import file (the local API's request cap too).
	MaxImportBytes = 64 << 20
	// MaxRowCells caps the cells of one CSV row, the header included: a
	// form has at most sdk.MaxFields (200) fields, an export adds 6
	// columns, and 1,024 is the width of a LibreOffice sheet before 7.4.
	MaxRowCells = 1024
)

// ReadAnswers reads one record's answers, a JSON object of field ids to
// values, of at most MaxRecordBytes bytes: valid UTF-8, no key twice,
// nothing after the object (sdk.ParseAnswers).
func ReadAnswers(r io.Reader) (sdk.Answers, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxRecordBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read answers: %w", err)
	}
	return ParseAnswers(data)
}

// ParseAnswers is ReadAnswers on bytes.
func ParseAnswers(data []byte) (sdk.Answers, error) {
	if len(data) > MaxRecordBytes {
		return nil, invalidf("answers are larger than %s (%d bytes); a record is a few KiB", sizeName(MaxRecordBytes), MaxRecordBytes)
	}
	a, err := sdk.ParseAnswers(data)
	if err != nil {
		return nil, &invalidError{msg: err.Error()}
	}
	return a, nil
}

// answersSize is the size of a's JSON.
func answersSize(a sdk.Answers) (int, error) {
	b, err := json.Marshal(a)
	if err != nil {
		return 0, invalidf("answers cannot be written as JSON: %v", err)
	}
	return len(b), nil
}

// sizeName writes a byte count the way the docs do: "256 KiB", "64 MiB".
func sizeName(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
