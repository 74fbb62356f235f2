package records

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// A template is an empty spreadsheet to fill for a form, in a language:
// its header row names each question by its label, with the field id in
// brackets where import finds it ("Datum presude * [decision_date]"; the
// star marks a required question), so the filled sheet imports as it is.
// The Excel template also offers each closed list as a drop-down of its
// labels, types its date and number columns, and explains every field on
// a second sheet; the CSV template is the header row alone.

// templateRows is how many rows of the Excel template carry the drop-down
// lists and typed cells.
const templateRows = 2000

// Languages returns the languages a form's labels are written in, the
// network's first (sdk.Languages order), then any other the form has.
func Languages(fi sdk.FormInfo) []string {
	seen := map[string]bool{}
	for lang := range fi.Title {
		seen[lang] = true
	}
	for _, f := range fi.Fields {
		for lang := range f.Label {
			seen[lang] = true
		}
	}
	var out []string
	for _, l := range sdk.Languages {
		if seen[l] {
			out = append(out, l)
			delete(seen, l)
		}
	}
	rest := make([]string, 0, len(seen))
	for l := range seen {
		rest = append(rest, l)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// CheckLanguage refuses a language the form has no labels in, listing
// those it has.
func CheckLanguage(fi sdk.FormInfo, lang string) error {
	langs := Languages(fi)
	if slices.Contains(langs, lang) {
		return nil
	}
	return invalidf("language %q: %s is written in %s", clip(lang, 20), fi.Ref(), strings.Join(langs, ", "))
}

// TemplateHeader is the header of field f in a template: its label in
// lang, a star if it is required, and its id in brackets.
func TemplateHeader(f sdk.Field, lang string) string {
	star := ""
	if f.Required {
		star = " *"
	}
	return fmt.Sprintf("%s%s [%s]", f.Label.In(lang), star, f.ID)
}

// WriteTemplate writes the template of form fi in lang to w, as an Excel
// workbook (FormatXLSX) or a CSV file (FormatCSV: the header row, with a
// byte-order mark, separated by ";" for the network's languages, as their
// spreadsheets expect, and by "," for English).
func WriteTemplate(w io.Writer, fi sdk.FormInfo, lang string, format Format) error {
	if err := CheckLanguage(fi, lang); err != nil {
		return err
	}
	switch format {
	case FormatCSV:
		if _, err := w.Write(utf8BOM); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.Comma = DialectFor(lang).Comma
		header := make([]string, len(fi.Fields))
		for i, f := range fi.Fields {
			header[i] = TemplateHeader(f, lang)
		}
		if err := cw.Write(header); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	case FormatXLSX:
		return writeXLSXTemplate(w, fi, lang)
	}
	return invalidf("format %q: a template is xlsx or csv", clip(string(format), 20))
}

// templateWords are the template's own words in each language.
var templateWords = map[string][6]string{
	//         fields sheet, lists sheet, column, question, answer, yes;no
	"en":      {"Fields", "Lists", "Column", "Question", "How to answer", "yes;no"},
	"sr-Latn": {"Polja", "Liste", "Kolona", "Pitanje", "Kako se odgovara", "da;ne"},
	"sr-Cyrl": {"Поља", "Листе", "Колона", "Питање", "Како се одговара", "да;не"},
	"hr":      {"Polja", "Popisi", "Stupac", "Pitanje", "Kako odgovoriti", "da;ne"},
	"bs":      {"Polja", "Liste", "Kolona", "Pitanje", "Kako odgovoriti", "da;ne"},
	"mk":      {"Полиња", "Листи", "Колона", "Прашање", "Како се одговара", "да;не"},
}

func words(lang string) [6]string {
	if w, ok := templateWords[lang]; ok {
		return w
	}
	return templateWords["en"]
}

// sheetName makes a valid Excel sheet name: at most 31 characters, none of
// []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(strings.TrimSpace(s)); len(r) > 31 {
		s = string(r[:31])
	}
	return strings.TrimSpace(s)
}

func writeXLSXTemplate(w io.Writer, fi sdk.FormInfo, lang string) error {
	wd := words(lang)
	f := excelize.NewFile()
	defer f.Close()
	main := sheetName(fi.Title.In(lang))
	if main == "" || main == wd[0] || main == wd[1] {
		main = fi.ID
	}
	if err := f.SetSheetName("Sheet1", main); err != nil {
		return err
	}
	for _, s := range []string{wd[0], wd[1]} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	required, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}})
	if err != nil {
		return err
	}
	dateFormat := "d.m.yyyy."
	if lang == "en" {
		dateFormat = "yyyy-mm-dd"
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	listCol := 0 // columns of the lists sheet used so far
	for i, fd := range fi.Fields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		head := col + "1"
		if err := f.SetCellStr(main, head, TemplateHeader(fd, lang)); err != nil {
			return err
		}
		style := bold
		if fd.Required {
			style = required
		}
		if err := f.SetCellStyle(main, head, head, style); err != nil {
			return err
		}
		if err := f.SetColWidth(main, col, col, 22); err != nil {
			return err
		}
		cells := fmt.Sprintf("%s2:%s%d", col, col, templateRows+1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(cells)
		switch fd.Type {
		case sdk.TypeChoice, sdk.TypeBool:
			var items []string
			if fd.Type == sdk.TypeBool {
				items = strings.Split(wd[5], ";")
			} else {
				for _, o := range fd.Options {
					items = append(items, o.Label.In(lang))
				}
			}
			listCol++
			lc, _ := excelize.ColumnNumberToName(listCol)
			if err := f.SetCellStr(wd[1], lc+"1", fd.ID); err != nil {
				return err
			}
			for j, it := range items {
				if err := f.SetCellStr(wd[1], fmt.Sprintf("%s%d", lc, j+2), it); err != nil {
					return err
				}
			}
			dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$2:$%s$%d", wd[1], lc, lc, len(items)+1))
		case sdk.TypeDate:
			if err := f.SetCellStyle(main, col+"2", fmt.Sprintf("%s%d", col, templateRows+1), date); err != nil {
				return err
			}
			if err := dv.SetRange(2, 2958465, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil { // 1900-01-01 to 9999-12-31
				return err
			}
		case sdk.TypeInt, sdk.TypeNumber:
			lo, hi := -1e15, 1e15
			if fd.Min != nil {
				lo = *fd.Min
			}
			if fd.Max != nil {
				hi = *fd.Max
			}
			t := excelize.DataValidationTypeDecimal
			if fd.Type == sdk.TypeInt {
				t = excelize.DataValidationTypeWhole
			}
			if err := dv.SetRange(lo, hi, t, excelize.DataValidationOperatorBetween); err != nil {
				return err
			}
		default:
			continue
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, fd.Label.In(lang), fieldHelp(fd, lang))
		if err := f.AddDataValidation(main, dv); err != nil {
			return err
		}
	}
	if err := f.SetPanes(main, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// The fields sheet: one line per column, what it asks and how to answer.
	fields := wd[0]
	for j, h := range []string{wd[2], "id", wd[3], wd[4]} {
		cell, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellStr(fields, cell, h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(fields, "A1", "D1", bold); err != nil {
		return err
	}
	for i, fd := range fi.Fields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		q := fd.Label.In(lang)
		if h := fd.Help.In(lang); h != "" {
			q += "\n" + h
		}
		row := []any{col, fd.ID, q, fieldHelp(fd, lang)}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(fields, cell, &row); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 8, "B": 28, "C": 50, "D": 70} {
		if err := f.SetColWidth(fields, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(fields, "C2", fmt.Sprintf("D%d", len(fi.Fields)+1), wrap); err != nil {
		return err
	}
	if err := f.SetSheetVisible(wd[1], false); err != nil {
		return err
	}
	return f.Write(w)
}

// fieldHelp says, in English words and the form's values, how field f is
// answered in a spreadsheet.
func fieldHelp(f sdk.Field, lang string) string {
	var parts []string
	if f.Required {
		parts = append(parts, "required")
	}
	switch f.Type {
	case sdk.TypeInt, sdk.TypeNumber:
		parts = append(parts, strings.TrimPrefix(numberRule(f), "must be "))
	case sdk.TypeDate:
		parts = append(parts, "a date (20.5.2024. or 2024-05-20)")
	case sdk.TypeBool:
		parts = append(parts, "yes or no ("+strings.ReplaceAll(words(lang)[5], ";", "/")+")")
	case sdk.TypeChoice, sdk.TypeSet:
		opts := make([]string, len(f.Options))
		for i, o := range f.Options {
			opts[i] = o.Label.In(lang) + " (" + o.Value + ")"
		}
		what := "one of: "
		if f.Type == sdk.TypeSet {
			what = "any of, separated by " + strconv.Quote(sdk.SetSeparator) + ": "
		}
		parts = append(parts, what+strings.Join(opts, "; "))
	case sdk.TypeText:
		parts = append(parts, "free text")
	default:
		parts = append(parts, "text")
	}
	if f.Private() {
		parts = append(parts, "stays on this node, never shared")
	}
	return strings.Join(parts, "; ")
}
