package records

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Excel workbooks (.xlsx), read with excelize (the sheet's cells with the
// reader in xlsxsheet.go, which gives the rows excelize's Rows gives, faster): the sheet named by
// ImportOptions.Sheet, or the first, laid out as a CSV file is (the first
// row holds the field ids or labels, each further row one record, rows
// numbered as Excel shows them). Cells are read as Excel stores them, not
// as it shows them: numbers as numbers, TRUE and FALSE as 1 and 0, and a
// date as its serial number, which a date question reads as the date
// (in the workbook's 1900 or 1904 date system). Dates typed as text are
// read as in a CSV file.

// maxUnzip caps what a workbook may unzip to in all: a 64 MiB workbook is
// some 600 MiB of XML; a zip bomb is refused. Worksheets over excelize's
// 16 MiB in-memory limit are unzipped to a temporary file and streamed.
const maxUnzip = 1 << 30

// parseXLSX reads an Excel workbook on form fi.
func parseXLSX(src *source, fi sdk.FormInfo, c *chunker) error {
	data, err := io.ReadAll(src.in) // a zip file is read from its end: it must be whole
	if err != nil {
		return err
	}
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzip})
	if err != nil {
		return invalidf("the file is not an Excel workbook (.xlsx) kolo can read: %v; save it as \"Excel Workbook (.xlsx)\", or as CSV UTF-8", err)
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	sheet := src.sheet
	switch {
	case len(sheets) == 0:
		return invalidf("the workbook has no sheet")
	case sheet == "":
		sheet = sheets[0]
	case !slices.Contains(sheets, sheet):
		return invalidf("the workbook has no sheet %q; its sheets are %s", clip(sheet, 40), quoteList(sheets))
	}
	if len(sheets) > 1 {
		src.read = fmt.Sprintf("read sheet %q of %d (--sheet chooses another)", sheet, len(sheets))
	}
	props, err := wb.GetWorkbookProps()
	if err != nil {
		return invalidf("the workbook's properties cannot be read: %v", err)
	}
	sf := newSheetForm(fi)
	sf.serialDates = true
	sf.date1904 = props.Date1904 != nil && *props.Date1904
	rows, err := openSheetRows(wb, data, sheet)
	if err != nil {
		return invalidf("sheet %q cannot be read: %v", sheet, err)
	}
	defer rows.Close()
	var cols []string
	row := 0
	for rows.Next() {
		row++
		rec, err := rows.Columns()
		if err != nil {
			if ferr := c.flush(); ferr != nil {
				return ferr
			}
			return RowError{Row: row, Rule: fmt.Sprintf("cannot be read from sheet %q: %v", sheet, err)}
		}
		if len(rec) > MaxRowCells {
			if row == 1 {
				return RowError{Row: row, Rule: fmt.Sprintf("has more than %d cells, the most one row may have: delete the columns after the form's last field", MaxRowCells)}
			}
			if err := c.add(row, 0, nil, rowMeta{}, []RowError{{Row: row, Rule: fmt.Sprintf(
				"has a value in column %s, after the %d columns one row may have: delete the columns after the form's last field", columnName(len(rec)-1), MaxRowCells)}}); err != nil {
				return err
			}
			continue
		}
		if row == 1 {
			if cols, err = csvColumns(sf, rec); err != nil {
				return err
			}
			continue
		}
		if !c.checking() {
			if !blankRow(rec) {
				c.skip(row)
			}
			continue
		}
		a, m, errs, blank := csvRow(sf, cols, row, rec)
		if blank {
			continue
		}
		size := 0
		for _, cell := range rec {
			size += len(cell)
		}
		if size > MaxRecordBytes {
			a, errs = nil, []RowError{{Row: row, Rule: fmt.Sprintf("is larger than %s, the most one row may hold", sizeName(MaxRecordBytes))}}
		}
		if err := c.add(row, size, a, m, errs); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		if ferr := c.flush(); ferr != nil {
			return ferr
		}
		return RowError{Row: row + 1, Rule: fmt.Sprintf("cannot be read from sheet %q: %v", sheet, err)}
	}
	if cols == nil {
		return RowError{Row: 1, Rule: fmt.Sprintf("sheet %q is empty: its first row must hold the form's field ids or labels (kolo forms template %s writes a workbook to fill)", sheet, fi.ID)}
	}
	return c.flush()
}

// serialDate reads an Excel date serial number ("45432") as a date.
func serialDate(s string, date1904 bool) (string, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 1 || v > 2958465 { // 9999-12-31
		return "", false
	}
	t, err := excelize.ExcelDateToTime(math.Floor(v), date1904)
	if err != nil {
		return "", false
	}
	return t.Format(sdk.DateLayout), true
}

func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
