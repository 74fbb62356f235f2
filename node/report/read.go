package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxJSONBytes caps a report's JSON read back with ReadJSON (a report of
// the catalogue's 37 figures over 50 members is under 2 MB).
const MaxJSONBytes = 16 << 20

// ReadJSON reads a report written with Render(..., JSON, ...), strictly
// (no unknown member, nothing after it, at most MaxJSONBytes), and checks
// that its figures and queries fit together, so it can be written again
// in another format or language without asking the network again.
func ReadJSON(r io.Reader) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxJSONBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	if len(data) > MaxJSONBytes {
		return nil, fmt.Errorf("read report: more than %d bytes; a report's JSON is smaller", MaxJSONBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var rep Report
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("read report: not a kolo report's JSON: %w", err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return nil, errors.New("read report: data after the report's JSON object")
	}
	if err := rep.check(); err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	return &rep, nil
}

// check refuses a report whose parts do not fit: a figure whose query
// number or row cells do not match the queries and countries.
func (r *Report) check() error {
	if r.Format != FormatVersion {
		return fmt.Errorf("format %d; this kolo reads reports of format %d", r.Format, FormatVersion)
	}
	for i, q := range r.Queries {
		if q.Number != i+1 {
			return fmt.Errorf("query %d is numbered %d", i+1, q.Number)
		}
	}
	for _, s := range r.Sections {
		for _, f := range s.Figures {
			if f.Query < 1 || f.Query > len(r.Queries) {
				return fmt.Errorf("figure %s names query %d of %d", f.ID, f.Query, len(r.Queries))
			}
			for _, row := range f.Rows {
				if len(row.Cells) != len(r.Countries) {
					return fmt.Errorf("figure %s, row %q: %d cells for %d countries", f.ID, row.Key, len(row.Cells), len(r.Countries))
				}
				for _, c := range row.Cells {
					switch c.State {
					case CellValue, CellZero:
						if c.Value == nil {
							return fmt.Errorf("figure %s, row %q, %s: a %s cell without a value", f.ID, row.Key, c.Country, c.State)
						}
					case CellSuppressed, CellNone, CellNoAnswer:
						if c.Value != nil {
							return fmt.Errorf("figure %s, row %q, %s: a %s cell with a value", f.ID, row.Key, c.Country, c.State)
						}
					default:
						return fmt.Errorf("figure %s, row %q, %s: unknown state %q", f.ID, row.Key, c.Country, c.State)
					}
				}
			}
		}
	}
	for _, t := range r.Targets {
		for _, c := range t.Progress {
			if (c.State == CellValue || c.State == CellZero) && c.Value == nil {
				return fmt.Errorf("target %s: a %s cell without a value", t.ID, c.State)
			}
		}
	}
	return nil
}
