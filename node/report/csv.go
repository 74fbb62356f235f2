package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// csvHeader are the columns of the CSV form: one row per cell of every
// figure (long format), the tables of the queries one after the other,
// each row naming its query.
var csvHeader = []string{"query", "figure", "query_text", "rows_by", "row", "row_label", "country", "state",
	"value", "unit", "n", "low", "high", "partial", "suppressed_by", "noise_sd"}

// writeCSV writes r's figures in long format: a program reads a figure
// by its query number or figure id; every cell has its state, so a
// suppressed cell is never an empty value taken for zero.
func writeCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	for _, s := range r.Sections {
		for _, f := range s.Figures {
			text := ""
			if f.Query >= 1 && f.Query <= len(r.Queries) {
				text = r.Queries[f.Query-1].Text
			}
			for _, row := range f.Rows {
				for _, c := range row.Cells {
					n := ""
					if c.N != nil {
						n = strconv.FormatInt(*c.N, 10)
					}
					var by []string
					for _, s := range c.Suppressed {
						by = append(by, s.Org+":"+s.Reason)
					}
					cw.Write([]string{strconv.Itoa(f.Query), f.ID, text, f.RowsBy, row.Key, row.Label, c.Country, c.State,
						num(c.Value), f.Unit, n, num(c.Low), num(c.High), strconv.FormatBool(c.Partial), strings.Join(by, ";"), num(c.NoiseSD)})
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
