package records

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// A JSON export (kolo record export --format json) is the organisation's
// backup: an array of records, each with its ID, form version and
// answers. It imports back as a CSV export does: a record held is updated
// or left alone, one this node does not hold is added under its ID (on
// its own form version), so a backup restores on a new node and imports
// twice without copies. One import reads the records of one form (the
// form given, any version); the others are skipped and named, to import
// with their own --form. Deleted records (an export with --deleted) are
// skipped: their answers are not in the export.

// backupRecord is what the import reads of an exported record.
type backupRecord struct {
	ID      string          `json:"id"`
	Form    string          `json:"form"`
	Version int             `json:"version"`
	Deleted bool            `json:"deleted"`
	Fields  json.RawMessage `json:"fields"`
}

// parseJSON reads a JSON export on form fi: the records of fi's form.
func parseJSON(src *source, fi sdk.FormInfo, c *chunker) error {
	c.records = true
	br := bufio.NewReaderSize(src.in, 64<<10)
	if head, _ := br.Peek(3); bytes.HasPrefix(head, utf8BOM) {
		_, _ = br.Discard(3)
	}
	dec := json.NewDecoder(br)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return invalidf("the file is not a kolo JSON export: it must be a JSON array of records (kolo record export --format json)")
	}
	skipped := map[string]int{}
	deleted := 0
	for n := 1; dec.More(); n++ {
		start := dec.InputOffset()
		var r backupRecord
		if err := dec.Decode(&r); err != nil {
			if ferr := c.flush(); ferr != nil {
				return ferr
			}
			var ie *invalidError
			if errors.As(err, &ie) {
				return err // the file is over its cap
			}
			return RowError{Row: n, Record: true, Rule: "is not a record of a kolo JSON export: " + err.Error()}
		}
		size := int(dec.InputOffset() - start)
		formID, _, ferr := ParseRef(r.Form)
		switch {
		case ferr != nil:
			if err := c.add(n, size, nil, rowMeta{}, []RowError{{Row: n, Record: true, Field: "form", Rule: "must be a form version such as rs.judgment@2", Got: clip(r.Form, 40)}}); err != nil {
				return err
			}
			continue
		case formID != fi.ID:
			skipped[formID]++
			continue
		case r.Deleted:
			deleted++
			continue
		case !c.checking():
			c.skip(n)
			continue
		}
		var errs []RowError
		var a sdk.Answers
		if size > MaxRecordBytes {
			errs = append(errs, RowError{Row: n, Record: true, Rule: fmt.Sprintf("is larger than %s, the most one record may hold", sizeName(MaxRecordBytes))})
		} else if a, ferr = ParseAnswers(r.Fields); ferr != nil {
			errs = append(errs, RowError{Row: n, Record: true, Field: "fields", Rule: ferr.Error()})
		}
		m := rowMeta{id: r.ID, version: r.Version, form: r.Form}
		if err := c.add(n, size, a, m, errs); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		if ferr := c.flush(); ferr != nil {
			return ferr
		}
		return invalidf("the file is not a whole kolo JSON export (its array does not end): %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalidf("the file has more after the export's array")
	}
	var notes []string
	if len(skipped) > 0 {
		forms := make([]string, 0, len(skipped))
		total := 0
		for f, k := range skipped {
			forms = append(forms, f)
			total += k
		}
		slices.Sort(forms)
		notes = append(notes, fmt.Sprintf("skipped %d %s of other forms (import each with its --form): %s", total, plural(total, "record", "records"), strings.Join(forms, ", ")))
	}
	if deleted > 0 {
		notes = append(notes, fmt.Sprintf("skipped %d deleted %s", deleted, plural(deleted, "record", "records")))
	}
	src.read = strings.Join(notes, "; ")
	return c.flush()
}
