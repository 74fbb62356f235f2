package records

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// openWorkbook opens data as parseXLSX does; xmlLimit, where not 0, is
// excelize's in-memory limit for a sheet (a smaller one sends the sheet
// through a temporary file, and the reader to the zip).
func openWorkbook(t testing.TB, data []byte, xmlLimit int64) *excelize.File {
	t.Helper()
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: xmlLimit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wb.Close() })
	return wb
}

// transcript is what parseXLSX sees of a sheet's rows: each row's number
// and cells or error (a run of empty rows as one line), then the rows'
// error.
func transcript(rows sheetRows) string {
	var b strings.Builder
	n, empty := 0, 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if len(cells) == 0 && err == nil {
			empty++
			continue
		}
		if empty > 0 {
			fmt.Fprintf(&b, "%d empty rows\n", empty)
			empty = 0
		}
		fmt.Fprintf(&b, "%d %q %v\n", n, cells, err)
	}
	fmt.Fprintf(&b, "%d empty rows, end %v", empty, rows.Error())
	return b.String()
}

// readBoth reads the sheet with excelize's Rows and with the reader; it
// tells whether the reader read it to the end itself.
func readBoth(t testing.TB, data []byte, sheet string, xmlLimit int64) (want, got string, fast bool) {
	t.Helper()
	rows, err := openWorkbook(t, data, xmlLimit).Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	want = transcript(excelizeRows{rows})
	rows.Close()
	r, err := openSheetRows(openWorkbook(t, data, xmlLimit), data, sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got = transcript(r)
	sr, ok := r.(*sheetReader)
	return want, got, ok && sr.slow == nil
}

// excelizeWorkbook is a workbook excelize writes: in Sheet1 shared
// strings (Cyrillic, entities, line breaks, "_x0041_", a control
// character, rich text), numbers, booleans, a date, a formula, empty cells
// and empty rows; in Stream the same kinds through excelize's stream
// writer, which writes inline strings.
func excelizeWorkbook(t testing.TB) []byte {
	date := time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC)
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "case_number")
	set("B1", "Sud")
	set("D1", "notes") // C1 empty
	set("A2", "K 1/2024")
	set("B2", "Виши суд у Београду")
	set("C2", 12.5)
	set("D2", "a & b <c> \"d\" 'e'\nnew line\r\nCRLF\ttab")
	set("E2", true)
	set("F2", date)
	set("G2", -0.000123)
	set("H2", "_x0041_ and _x005F_x0041_ kept as Excel means them")
	set("I2", "\x01control\x1f")
	set("J2", "Ćirilica i latinica: Đorđe Šešelj ŽČĆ")
	set("A5", "after two empty rows") // rows 3 and 4 empty
	set("Z5", false)
	set("B6", "  spaces kept  ")
	set("C6", "1e3")
	if err := f.SetCellFormula("Sheet1", "C7", "C2*2"); err != nil {
		t.Fatal(err)
	}
	set("D7", "")
	if err := f.SetCellRichText("Sheet1", "A8", []excelize.RichTextRun{{Text: "bold", Font: &excelize.Font{Bold: true}}, {Text: " и обично"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Stream"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Stream")
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range [][]any{
		{"case_number", "notes", "victims"},
		{"K 2/2024", "inline & <escaped>\nЋирилица", 3},
		nil,
		{nil, "a cell after an empty one", nil, true, date},
		{"_x000D_ escaped CR", "x", 1.5},
	} {
		if row == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestXLSXSheetReader reads workbooks excelize writes with the reader and
// with excelize's Rows: the same rows, and the reader reads them itself.
func TestXLSXSheetReader(t *testing.T) {
	t.Parallel()
	data := excelizeWorkbook(t)
	for _, sheet := range []string{"Sheet1", "Stream"} {
		want, got, fast := readBoth(t, data, sheet, 0)
		if got != want {
			t.Errorf("%s: the reader read\n%s\nexcelize's Rows\n%s", sheet, got, want)
		}
		if !fast {
			t.Errorf("%s: the reader left the sheet to excelize", sheet)
		}
		if !strings.Contains(want, "Ћирилица") && !strings.Contains(want, "Београду") {
			t.Errorf("%s: %s", sheet, want)
		}
	}
}

// TestXLSXSheetReaderBlocks reads a sheet of some megabytes, which the
// reader reads a block at a time, from excelize's copy and (over
// excelize's in-memory limit) from the zip.
func TestXLSXSheetReaderBlocks(t *testing.T) {
	t.Parallel()
	cols, rows := benchRows(t, 4000)
	data := benchXLSX(t, cols, rows)
	for _, limit := range []int64{0, 1 << 10} {
		want, got, fast := readBoth(t, data, "Sheet1", limit)
		if got != want || !fast {
			t.Fatalf("limit %d: fast %v, same %v", limit, fast, got == want)
		}
		if !strings.Contains(want, "\n4001 ") {
			t.Fatalf("limit %d: %.300s", limit, want)
		}
	}
}

// sheetXMLCases are worksheets written by hand: what the reader reads
// itself (fast) and what it leaves to excelize's Rows. The fuzz target
// starts from them.
var sheetXMLCases = []struct {
	name string
	fast bool
	xml  string
}{
	{"plain", true, `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr"><is><t>x</t></is></c></row>`},
	{"no references", true, `<row><c t="s"><v>2</v></c><c/><c><v>3</v></c></row><row><c t="b"><v>0</v></c></row>`},
	{"row gaps", true, `<row r="2"><c r="B2"><v>1</v></c></row><row r="5"/><row r="7"><c r="A7" t="str"><v>s</v></c></row>`},
	{"entities", true, `<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> a &amp; b&#10;c&#x41;&lt;&gt;&quot;&apos;</t></is></c><c r="B1" t="str"><v>line&#13;&#xa;end` + "\r\n" + `crlf</v></c></row>`},
	{"runs", true, `<row r="1"><c r="A1" t="inlineStr"><is><r><t>one</t></r><t>T</t><r><t>_x0041_</t></r></is></c></row>`},
	{"excel attributes", true, `<row r="1" spans="1:3" ht="15" x14ac:dyDescent="0.25"><c r="A1" s="3" t="n"><v>45432</v></c><c r="B1" t="e"><v>#DIV/0!</v></c><c r="C1" t="d"><v>2024-05-20</v></c></row>` + "\n  "},
	{"formulas", true, `<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f t="shared" ref="B1:B2" si="0" ca="1">A1</f></c><c r="C1"><f/></c></row>`},
	{"inline string not inline", true, `<row r="1"><c r="A1" t="s"><is><t>x</t></is><v>1</v></c><c r="B1" t="inlineStr"><v>v</v></c></row>`},
	{"empty shared", true, `<row r="1"><c r="A1" t="s"><v></v></c><c r="B1" t="s"/><c r="C1" t="s"><v>3</v></c></row>`},
	{"empty (excelize reads it: nothing to gain)", false, ``},
	{"comment", false, `<row r="1"><c r="A1"><v>1</v></c><!-- note --></row>`},
	{"rows out of order", false, `<row r="3"><c r="A3"><v>3</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>`},
	{"cells out of order", false, `<row r="1"><c r="B1"><v>2</v></c><c r="A1"><v>1</v></c></row>`},
	{"prefixed", false, `<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>`},
	{"lower case reference", false, `<row r="1"><c r="a1"><v>1</v></c></row>`},
	{"bad reference", false, `<row r="1"><c r="1A"><v>1</v></c></row>`},
	{"row past the last", false, `<row r="1048577"><c><v>1</v></c></row>`},
	{"shared string out of the table", false, `<row r="1"><c r="A1" t="s"><v>99</v></c></row>`},
	{"shared string index with spaces", false, `<row r="1"><c r="A1" t="s"><v> 1</v></c></row>`},
	{"rich run formatting", false, `<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>b</t></r></is></c></row>`},
	{"unknown entity", false, `<row r="1"><c r="A1" t="str"><v>&nbsp;</v></c></row>`},
	{"CDATA", false, `<row r="1"><c r="A1" t="str"><v><![CDATA[<x>]]></v></c></row>`},
	{"bad formula attribute", false, `<row r="1"><c r="A1"><f ca="maybe">1</f><v>1</v></c></row>`},
	{"bad style", false, `<row r="1"><c r="A1" s="x"><v>1</v></c></row>`},
	{"unclosed", false, `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v>`},
	{"illegal character", false, "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\x01b</v></c></row>"},
	{"invalid UTF-8", false, "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\xffb</v></c></row>"},
	{"mismatched end tag", false, `<row r="1"><c r="A1"><v>1</c></v></row>`},
}

// sheetXMLWorkbook is a workbook excelize wrote, with its first sheet's
// data replaced by sheetData (rows), and shared strings to refer to.
func sheetXMLWorkbook(t testing.TB, sheetData []byte) []byte {
	t.Helper()
	tplOnce.Do(func() { tpl, tplErr = sharedStringsWorkbook() })
	if tplErr != nil {
		t.Fatal(tplErr)
	}
	zr, err := zip.NewReader(bytes.NewReader(tpl), int64(len(tpl)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if e.Name == "xl/worksheets/sheet1.xml" {
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1"/><sheetData>%s</sheetData></worksheet>`, sheetData)
			continue
		}
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

var (
	tplOnce sync.Once
	tpl     []byte
	tplErr  error
)

// sharedStringsWorkbook is a workbook with four shared strings (one empty,
// one rich text).
func sharedStringsWorkbook() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, v := range []string{"zero", "jedan & один", "", "три"} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetCellStr("Sheet1", cell, v); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellRichText("Sheet1", "B1", []excelize.RichTextRun{{Text: "bold", Font: &excelize.Font{Bold: true}}, {Text: " _x0041_"}}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err := f.Write(&buf)
	return buf.Bytes(), err
}

// TestXLSXSheetReaderLeaves reads worksheets written by hand: the reader
// reads what it knows itself, leaves the rest to excelize's Rows, and
// gives excelize's rows either way.
func TestXLSXSheetReaderLeaves(t *testing.T) {
	t.Parallel()
	for _, c := range sheetXMLCases {
		want, got, fast := readBoth(t, sheetXMLWorkbook(t, []byte(c.xml)), "Sheet1", 0)
		if got != want {
			t.Errorf("%s: the reader read\n%s\nexcelize's Rows\n%s", c.name, got, want)
		}
		if fast != c.fast {
			t.Errorf("%s: read by the reader itself %v, want %v", c.name, fast, c.fast)
		}
	}
}

// FuzzXLSXSheet gives the reader worksheets' rows: whatever the XML, the
// reader gives the rows excelize's Rows gives.
func FuzzXLSXSheet(f *testing.F) {
	for _, c := range sheetXMLCases {
		f.Add([]byte(c.xml))
	}
	data := excelizeWorkbook(f)
	for _, part := range []string{"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} {
		b, ok := sheetDataOf(data, part)
		if !ok {
			f.Fatalf("no sheetData in %s", part)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, sheetData []byte) {
		if len(sheetData) > 1<<16 {
			return
		}
		want, got, _ := readBoth(t, sheetXMLWorkbook(t, sheetData), "Sheet1", 0)
		if got != want {
			t.Fatalf("the reader read\n%.2000s\nexcelize's Rows\n%.2000s", got, want)
		}
	})
}

// sheetDataOf is what a workbook's sheet (its part) holds between
// <sheetData> and </sheetData>.
func sheetDataOf(data []byte, part string) ([]byte, bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, false
	}
	for _, e := range zr.File {
		if e.Name != part {
			continue
		}
		rc, err := e.Open()
		if err != nil {
			return nil, false
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		i, j := bytes.Index(b, []byte("<sheetData>")), bytes.Index(b, []byte("</sheetData>"))
		if err != nil || i < 0 || j < i {
			return nil, false
		}
		return b[i+len("<sheetData>") : j], true
	}
	return nil, false
}
