package records

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Export writes the current versions of the records f selects to w, by
// date, in format: FormatJSON (a JSON array of records, fields and
// indicators included) or FormatCSV (the records of one form, one per
// row: MetaColumns, then the form's field ids, as import reads them; with
// a UTF-8 byte-order mark, so that spreadsheets read the letters right;
// separated by semicolons, see Dialect).
// Deleted records are left out unless f.Deleted. Export is for the
// partner's own use: it holds personal and free-text fields. It returns
// how many records it wrote.
func (b *Book) Export(ctx context.Context, w io.Writer, f Filter, format Format) (int, error) {
	return b.ExportWith(ctx, w, f, ExportOptions{Format: format})
}

// ExportOptions say how an export is written.
type ExportOptions struct {
	Format  Format
	Dialect Dialect // of a CSV export; the zero Dialect is DialectSemicolon
}

// ExportWith is Export with options: a CSV export's dialect.
func (b *Book) ExportWith(ctx context.Context, w io.Writer, f Filter, opts ExportOptions) (int, error) {
	format := opts.Format
	if _, err := ParseFormat(string(format), true); err != nil {
		return 0, err
	}
	if opts.Dialect.Comma == 0 {
		opts.Dialect = DialectSemicolon
	}
	sums, err := b.List(ctx, f)
	if err != nil {
		return 0, err
	}
	recs := make([]Record, 0, len(sums))
	err = b.st.View(func(tx *store.Tx) error {
		for _, s := range sums {
			r, err := b.current(tx, s.ID)
			if err != nil {
				return err
			}
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	bw := bufio.NewWriter(w)
	if format == FormatJSON {
		err = writeJSON(bw, recs)
	} else {
		err = b.writeCSV(bw, f, recs, opts.Dialect)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	b.log.Info("records exported", "format", string(format), "records", len(recs))
	return len(recs), nil
}

// ExportFile is an export as the local API returns it: the file's
// content, exactly as Export writes it.
type ExportFile struct {
	Format  Format `json:"format"`
	Records int    `json:"records"`
	Content string `json:"content"`
}

// writeJSON writes records as a JSON array, one record per line.
func writeJSON(w io.Writer, recs []Record) error {
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	for i, r := range recs {
		sep := ",\n"
		if i == 0 {
			sep = "\n"
		}
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n]\n")
	return err
}

// writeCSV writes the records of one form as CSV. The columns are the
// fields of every version the records were entered on, in form order,
// fields a later version added after the earlier ones.
func (b *Book) writeCSV(w io.Writer, f Filter, recs []Record, d Dialect) error {
	formID, _, _ := ParseRef(f.Form)
	versions := map[int]bool{}
	for _, r := range recs {
		id, v, _ := ParseRef(r.Form)
		if formID == "" {
			formID = id
		}
		if id != formID {
			return invalidf("a CSV file holds the records of one form, and these are on %s and %s: choose one with --form", formID, id)
		}
		versions[v] = true
	}
	var cols []string
	seen := map[string]bool{}
	for _, v := range slices.Sorted(maps.Keys(versions)) {
		fi, ok := b.forms.Form(formID, v)
		if !ok {
			return fmt.Errorf("form %s@%d, which records were entered on, is not served by any plugin: its columns are unknown (export as json instead)", formID, v)
		}
		for _, fd := range fi.Fields {
			if !seen[fd.ID] {
				seen[fd.ID] = true
				cols = append(cols, fd.ID)
			}
		}
	}
	if len(recs) == 0 && formID != "" {
		if fi, ok := b.forms.Latest(formID); ok {
			for _, fd := range fi.Fields {
				cols = append(cols, fd.ID)
			}
		}
	}
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = d.Comma
	if err := cw.Write(append(slices.Clone(MetaColumns), cols...)); err != nil {
		return err
	}
	row := make([]string, len(MetaColumns)+len(cols))
	for _, r := range recs {
		copy(row, []string{r.ID, r.Form, r.Date, r.Created.Format(time.RFC3339Nano), r.Updated.Format(time.RFC3339Nano), strconv.Itoa(r.Version)})
		for i, c := range cols {
			row[len(MetaColumns)+i] = cell(r.Fields[c])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell writes an answer as a spreadsheet cell, as import reads it back.
func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = cell(e)
		}
		return strings.Join(parts, sdk.SetSeparator)
	case []string:
		return strings.Join(v, sdk.SetSeparator)
	}
	if n, ok := sdk.Number(v); ok {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
