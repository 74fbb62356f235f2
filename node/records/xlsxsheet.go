package records

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"

	"github.com/tdewolff/parse/v2"
	txml "github.com/tdewolff/parse/v2/xml"
	"github.com/xuri/excelize/v2"
)

// A sheet's cells, read with a streaming XML lexer (tdewolff/parse)
// instead of excelize's Rows. Why hand-written: excelize's Rows().Columns()
// decodes the sheet with encoding/xml, which costs 77–98 CPU-µs a row of a
// judgment (some 45 % in encoding/xml, most of the rest collecting the
// garbage of its tokens), against 11 for the same row in CSV; an import of
// 10,000 judgments has some 200 CPU-µs a row in all, and checking and
// writing take about 105. The lexer allocates nothing per token; the
// reader allocates one string a row for its cells.
//
// The reader gives exactly the rows excelize's Rows gives (RawCellValue,
// as parseXLSX opens the workbook), which TestXLSXSheetReader and
// FuzzXLSXSheet hold it to: a row for every row number up to the last
// (an empty one for a number the sheet skips), each row's cells by column
// (an empty string for a column the row skips), a shared string through
// excelize's own table, an inline string's runs joined and "_xHHHH_"
// escapes resolved, any other cell's value as written. It reads only what
// Excel and the usual writers write: rows and cells in order, cells of a
// value (v), a formula (f) or an inline string (is). On anything else
// (rows or cells out of order, a comment, CDATA, a prefixed element, a
// text encoding other than UTF-8, XML that encoding/xml would refuse, a
// shared string excelize keeps in a temporary file) it hands the sheet to
// excelize's Rows at the row it had reached, so an odd workbook is read
// as before, only slower, and never misread.

// sheetRows is a sheet's rows as excelize's Rows gives them: Next moves to
// the next row number, Columns gives that row's cells.
type sheetRows interface {
	Next() bool
	Columns() ([]string, error)
	Error() error
	Close() error
}

// excelizeRows is excelize's Rows as sheetRows.
type excelizeRows struct{ *excelize.Rows }

func (r excelizeRows) Columns() ([]string, error) { return r.Rows.Columns() }

// failedRows is a sheet whose rows could not be opened again.
type failedRows struct{ err error }

func (r failedRows) Next() bool                 { return false }
func (r failedRows) Columns() ([]string, error) { return nil, r.err }
func (r failedRows) Error() error               { return r.err }
func (r failedRows) Close() error               { return nil }

const (
	// sheetBlock is how much of the sheet's XML is read at a time.
	sheetBlock = 1 << 20
	// maxSheetPrefix caps the XML before <sheetData> the reader looks
	// through (column widths, views); a sheet with more is left to excelize.
	maxSheetPrefix = 8 << 20
	// maxRowXML caps one row's XML; a longer row is left to excelize.
	maxRowXML = 32 << 20
	// excelRows is the most rows a sheet has (excelize.TotalRows).
	excelRows = excelize.TotalRows
)

// sheetReader reads one sheet's rows with the lexer.
type sheetReader struct {
	wb    *excelize.File
	sheet string
	src   io.ReadCloser

	buf      []byte // the sheet's XML read so far: buf[pos:cut] lexed now, buf[cut:] read ahead
	pos, cut int
	srcEOF   bool
	in       *parse.Input
	lex      *txml.Lexer
	rowEnd   bool   // the last token was a row's end tag, where a block may end
	raw      []byte // the last token as written

	iter     int // row numbers given so far
	cur      int // the number of the row in cells
	next     int // the number of the row whose start tag was read; 0 at the end
	nextVoid bool
	cells    []string
	vals     []cellValue // the row's cells before they are strings
	text     []byte      // the row's values, one string a row
	scratch  []byte
	runs     []byte

	sst []string // shared strings, resolved as needed
	has []bool

	slow sheetRows // excelize's Rows, once the sheet is left to it
}

// cellValue is a cell of the row being read: its column and its value,
// a shared string or text[from:to].
type cellValue struct {
	col      int
	from, to int
	shared   int // -1 for text
}

// openSheetRows opens the sheet's rows: the lexer's, or excelize's where
// the sheet cannot be streamed as the reader reads (see above).
func openSheetRows(wb *excelize.File, data []byte, sheet string) (sheetRows, error) {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, err
	}
	// excelize decodes the shared strings at the first row it reads; the
	// reader uses its table, so both read a shared string alike.
	for wb.SharedStrings == nil && rows.Next() {
		if _, err := rows.Columns(); err != nil {
			break
		}
	}
	if wb.SharedStrings == nil {
		// a sheet without rows, or a table excelize cannot read (which
		// its Rows reports at every row)
		return reopen(wb, sheet, rows)
	}
	src, err := openSheetXML(wb, data, sheet)
	if err != nil {
		return reopen(wb, sheet, rows)
	}
	r := &sheetReader{wb: wb, sheet: sheet, src: src}
	if !r.start() {
		src.Close()
		return reopen(wb, sheet, rows)
	}
	rows.Close()
	return r, nil
}

// reopen gives excelize's rows from the first.
func reopen(wb *excelize.File, sheet string, probe *excelize.Rows) (sheetRows, error) {
	probe.Close()
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, err
	}
	return excelizeRows{rows}, nil
}

// leave hands the sheet to excelize's Rows after the rows given so far.
func (r *sheetReader) leave() {
	r.src.Close()
	r.buf, r.lex, r.in = nil, nil, nil
	rows, err := r.wb.Rows(r.sheet)
	if err != nil {
		r.slow = failedRows{err}
		return
	}
	for i := 0; i < r.iter-1 && rows.Next(); i++ {
		rows.Columns()
	}
	r.slow = excelizeRows{rows}
}

func (r *sheetReader) Next() bool {
	if r.slow != nil {
		return r.slow.Next()
	}
	if r.next == 0 {
		return false
	}
	r.iter++
	if r.iter < r.next {
		return true // a row number the sheet skips: an empty row
	}
	if !r.readRow() {
		r.leave()
		return r.slow.Next()
	}
	return true
}

// Columns gives the row's cells.
func (r *sheetReader) Columns() ([]string, error) {
	if r.slow != nil {
		return r.slow.Columns()
	}
	if r.iter != r.cur {
		return nil, nil
	}
	return r.cells, nil
}

func (r *sheetReader) Error() error {
	if r.slow != nil {
		return r.slow.Error()
	}
	return nil
}

func (r *sheetReader) Close() error {
	if r.slow != nil {
		return r.slow.Close()
	}
	return r.src.Close()
}

// start reads the XML up to <sheetData> with encoding/xml, as excelize
// does, and then the first row's start tag with the lexer.
func (r *sheetReader) start() bool {
	for {
		if i := bytes.Index(r.buf, []byte("<sheetData")); i >= 0 && bytes.IndexByte(r.buf[i:], '>') >= 0 {
			break
		}
		if r.srcEOF || len(r.buf) > maxSheetPrefix {
			return false
		}
		if !r.read() {
			return false
		}
	}
	d := xml.NewDecoder(bytes.NewReader(r.buf))
	for {
		at := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return false // a syntax error, a text encoding other than UTF-8
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "row" {
				return false
			}
			if t.Name.Local != "sheetData" {
				continue
			}
			end := int(d.InputOffset())
			tag := r.buf[at:end]
			if !bytes.HasPrefix(tag, []byte("<sheetData")) {
				return false // a prefixed sheetData
			}
			if bytes.HasSuffix(tag, []byte("/>")) {
				return true // no rows: r.next is 0
			}
			r.pos = end
			if !r.block() {
				return false
			}
			var ok bool
			r.next, r.nextVoid, ok = r.rowStart()
			return ok
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				return false
			}
		case xml.ProcInst:
			if t.Target != "xml" {
				return false
			}
		case xml.Directive:
			return false
		}
	}
}

// read reads the next block of the sheet's XML onto buf.
func (r *sheetReader) read() bool {
	if len(r.buf)+sheetBlock > cap(r.buf) {
		nb := make([]byte, len(r.buf), 2*cap(r.buf)+sheetBlock+1) // +1: the lexer's NUL
		copy(nb, r.buf)
		r.buf = nb
	}
	n, err := io.ReadFull(r.src, r.buf[len(r.buf):len(r.buf)+sheetBlock])
	r.buf = r.buf[:len(r.buf)+n]
	switch err {
	case nil:
	case io.EOF, io.ErrUnexpectedEOF:
		r.srcEOF = true
	default:
		return false
	}
	return true
}

// block sets the lexer on buf[pos:cut], cut just after the last row end
// tag read: a place between two rows, where no token is cut in two (a
// "</row>" that is not an end tag, in an attribute value, a comment or
// CDATA, makes the lexer see a token the reader refuses before it
// reaches the cut).
func (r *sheetReader) block() bool {
	for {
		if i := bytes.LastIndex(r.buf[r.pos:], []byte("</row>")); i >= 0 {
			r.cut = r.pos + i + len("</row>")
			break
		}
		if r.srcEOF {
			r.cut = len(r.buf)
			break
		}
		if len(r.buf)-r.pos > maxRowXML || !r.read() {
			return false
		}
	}
	if r.in != nil {
		r.in.Restore()
	}
	r.in = parse.NewInputBytes(r.buf[r.pos:r.cut])
	r.lex = txml.NewLexer(r.in)
	return true
}

// refill moves the lexer to the next block, once the current one is lexed.
func (r *sheetReader) refill() bool {
	if r.srcEOF && r.cut == len(r.buf) {
		return false
	}
	r.in.Restore()
	r.in = nil
	n := copy(r.buf, r.buf[r.cut:])
	r.buf = r.buf[:n]
	r.pos, r.cut = 0, 0
	if !r.srcEOF && !r.read() {
		return false
	}
	return r.block()
}

// tok is the lexer's next token; at the end of a block that ends where
// a block may end (after a row) it goes on with the next block.
func (r *sheetReader) tok() (txml.TokenType, []byte) {
	for {
		tt, data := r.lex.Next()
		if tt == txml.ErrorToken && r.lex.Err() == io.EOF && r.rowEnd && r.refill() {
			r.rowEnd = false
			continue
		}
		r.rowEnd = false
		r.raw = data
		return tt, data
	}
}

// blank checks text between elements, which the reader ignores as
// excelize does, but which encoding/xml would refuse if it held a
// character XML does not allow.
func (r *sheetReader) blank() bool {
	for _, c := range r.lex.Text() {
		if c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			var ok bool
			r.scratch, ok = appendXMLText(r.scratch[:0], r.lex.Text(), false)
			return ok
		}
	}
	return true
}

// attr is a start tag's next attribute: its name and its decoded value
// (valid until the next call); at the end of the tag, end is true and
// void tells whether the tag closed itself.
func (r *sheetReader) attr() (name, val []byte, end, void, ok bool) {
	switch tt, _ := r.tok(); tt {
	case txml.AttributeToken:
	case txml.StartTagCloseToken:
		return nil, nil, true, false, true
	case txml.StartTagCloseVoidToken:
		return nil, nil, true, true, true
	default:
		return nil, nil, false, false, false
	}
	name, raw := r.lex.Text(), r.lex.AttrVal()
	if !attrName(name) || len(raw) < 2 || raw[0] != '"' && raw[0] != '\'' || raw[len(raw)-1] != raw[0] {
		return nil, nil, false, false, false // encoding/xml wants a quoted value
	}
	r.scratch, ok = appendXMLText(r.scratch[:0], raw[1:len(raw)-1], true)
	return name, r.scratch, false, false, ok
}

// attrName checks an attribute name as encoding/xml reads one (its
// isName, at most one colon), in ASCII and not starting with a colon.
func attrName(b []byte) bool {
	if len(b) == 0 || !('a' <= b[0] && b[0] <= 'z' || 'A' <= b[0] && b[0] <= 'Z' || b[0] == '_') {
		return false
	}
	colons := 0
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == '-':
		case c == ':':
			colons++
		default:
			return false
		}
	}
	return colons <= 1
}

// local is the part of an attribute name after its prefix, the name
// excelize matches attributes by.
func local(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i > 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return name
}

// endTag tells whether the token just read is the end tag of element name.
func (r *sheetReader) endTag(name string) bool {
	return string(r.lex.Text()) == name && len(r.raw) > 0 && r.raw[len(r.raw)-1] == '>' // not cut off by the end of the XML
}

// rowStart reads up to the next row's start tag and its attributes: the
// row's number (the one after the last where it has none, as in
// excelize), and whether the tag closed itself; number 0 at the end of
// the sheet's data.
func (r *sheetReader) rowStart() (num int, void, ok bool) {
	for {
		tt, _ := r.tok()
		switch tt {
		case txml.TextToken:
			if !r.blank() {
				return 0, false, false
			}
			continue
		case txml.EndTagToken:
			return 0, false, r.endTag("sheetData")
		case txml.StartTagToken:
			if string(r.lex.Text()) != "row" {
				return 0, false, false
			}
		default:
			return 0, false, false
		}
		break
	}
	num = r.cur + 1
	seen := false
	for {
		name, val, end, void, ok := r.attr()
		switch {
		case !ok:
			return 0, false, false
		case end:
			return num, void, true
		case string(local(name)) == "r":
			n, isNum := positive(val, excelRows)
			if seen || len(name) != 1 || !isNum || n < num {
				return 0, false, false // out of order, or a number excelize reads otherwise
			}
			num, seen = n, true
		}
	}
}

// readRow reads the cells of row r.next, then the start tag of the row
// after it.
func (r *sheetReader) readRow() bool {
	r.vals, r.text = r.vals[:0], r.text[:0]
	if !r.nextVoid {
		if !r.rowCells() {
			return false
		}
	}
	if !r.rowStrings() {
		return false
	}
	r.cur = r.next
	next, void, ok := r.rowStart()
	if !ok {
		return false
	}
	r.next, r.nextVoid = next, void
	return true
}

// rowCells reads a row's cells up to its end tag.
func (r *sheetReader) rowCells() bool {
	col := 0
	for {
		switch tt, _ := r.tok(); tt {
		case txml.TextToken:
			if !r.blank() {
				return false
			}
		case txml.EndTagToken:
			if !r.endTag("row") {
				return false
			}
			r.rowEnd = true
			return true
		case txml.StartTagToken:
			if string(r.lex.Text()) != "c" {
				return false
			}
			var ok bool
			if col, ok = r.cell(col); !ok {
				return false
			}
		default:
			return false
		}
	}
}

// cell reads a cell after the one in column prev and keeps its value as
// excelize's Columns does: a value that is not empty, or any cell with a
// formula.
func (r *sheetReader) cell(prev int) (int, bool) {
	col, typ := prev+1, cellNumber
	var seenR, seenS, seenT bool
	void := false
	for {
		name, val, end, v, ok := r.attr()
		if !ok {
			return 0, false
		}
		if end {
			void = v
			break
		}
		switch string(local(name)) {
		case "r":
			if seenR || len(name) != 1 {
				return 0, false
			}
			seenR = true
			if len(val) == 0 {
				continue // excelize reads an empty reference as none
			}
			c, ok := cellColumn(val)
			if !ok || c <= prev {
				return 0, false
			}
			col = c
		case "s":
			if seenS || len(name) != 1 || !styleIndex(val) {
				return 0, false
			}
			seenS = true
		case "t":
			if seenT || len(name) != 1 {
				return 0, false
			}
			seenT = true
			typ = cellTypeOf(val)
		}
	}
	if void {
		return col, true
	}
	from := len(r.text)
	var hasV, hasF, hasIS bool
	var vFrom, vTo, isFrom, isTo int
	for {
		switch tt, _ := r.tok(); tt {
		case txml.TextToken:
			if !r.blank() {
				return 0, false
			}
			continue
		case txml.EndTagToken:
			if !r.endTag("c") {
				return 0, false
			}
		case txml.StartTagToken:
			var ok bool
			switch string(r.lex.Text()) {
			case "v":
				if hasV {
					return 0, false
				}
				hasV = true
				vFrom = len(r.text)
				ok = r.textElement("v", nil)
				vTo = len(r.text)
			case "f":
				hasF = true
				ok = r.skipText("f", formulaAttr)
			case "is":
				if hasIS {
					return 0, false
				}
				hasIS = true
				isFrom = len(r.text)
				ok = r.inlineString()
				isTo = len(r.text)
			default:
				return 0, false
			}
			if !ok {
				return 0, false
			}
			continue
		default:
			return 0, false
		}
		break
	}
	value := cellValue{col: col, from: vFrom, to: vTo, shared: -1}
	switch {
	case typ == cellInline && hasIS:
		value.from, value.to = isFrom, isTo
	case typ == cellShared && vTo > vFrom:
		i, ok := positiveOrZero(r.text[value.from:value.to])
		if !ok || !r.sharedString(i) {
			return 0, false // excelize's error for an index out of its table, or a table in a temporary file
		}
		value.shared = i
		r.text = r.text[:from]
		if r.sst[i] == "" && !hasF {
			return col, true
		}
		r.vals = append(r.vals, value)
		return col, true
	}
	if value.to == value.from && !hasF {
		return col, true
	}
	r.vals = append(r.vals, value)
	return col, true
}

const (
	cellNumber = iota // n, e, d, b, absent, or any other: the value as written
	cellShared
	cellInline
)

func cellTypeOf(t []byte) int {
	switch string(t) {
	case "s":
		return cellShared
	case "inlineStr":
		return cellInline
	}
	return cellNumber
}

// styleIndex checks a style attribute as excelize does (a 64-bit
// integer), or it skips the rest of the cell.
func styleIndex(b []byte) bool {
	if len(b) > 0 && len(b) < 19 {
		digits := true
		for _, c := range b {
			digits = digits && '0' <= c && c <= '9'
		}
		if digits {
			return true
		}
	}
	_, err := strconv.ParseInt(string(b), 10, 64)
	return err == nil
}

// positiveOrZero reads a shared string's index, digits only.
func positiveOrZero(b []byte) (int, bool) {
	if string(b) == "0" {
		return 0, true
	}
	return positive(b, 1<<30)
}

// sharedString resolves the table's string i as excelize does.
func (r *sheetReader) sharedString(i int) bool {
	sst := r.wb.SharedStrings
	if sst == nil || i >= len(sst.SI) {
		return false
	}
	if r.sst == nil {
		r.sst, r.has = make([]string, len(sst.SI)), make([]bool, len(sst.SI))
	}
	if !r.has[i] {
		r.sst[i], r.has[i] = sst.SI[i].String(), true
	}
	return true
}

// formulaAttr checks an f attribute that excelize decodes into a bool
// or an int: a value encoding/xml cannot decode would end excelize's
// reading of the cell.
func formulaAttr(name, val []byte) bool {
	v := bytes.TrimSpace(val)
	if len(v) == 0 {
		return true
	}
	switch string(local(name)) {
	case "aca", "dt", "dtr", "del1", "del2", "ca", "bx":
		_, err := strconv.ParseBool(string(v))
		return err == nil
	case "si":
		_, err := strconv.ParseInt(string(v), 10, 64)
		return err == nil
	}
	return true
}

// tagAttrs reads a start tag's attributes, checking each with check
// (nil: any); it tells whether the tag closed itself.
func (r *sheetReader) tagAttrs(check func(name, val []byte) bool) (void, ok bool) {
	for {
		name, val, end, v, ok := r.attr()
		if !ok {
			return false, false
		}
		if end {
			return v, true
		}
		if check != nil && !check(name, val) {
			return false, false
		}
	}
}

// textElement appends the decoded text of element name, whose start tag
// was read, to r.text: text only, as a value has.
func (r *sheetReader) textElement(name string, check func(name, val []byte) bool) bool {
	void, ok := r.tagAttrs(check)
	if !ok || void {
		return ok
	}
	for {
		switch tt, _ := r.tok(); tt {
		case txml.TextToken:
			if r.text, ok = appendXMLText(r.text, r.lex.Text(), false); !ok {
				return false
			}
		case txml.EndTagToken:
			return r.endTag(name)
		default:
			return false
		}
	}
}

// skipText reads element name as textElement does and drops its text.
func (r *sheetReader) skipText(name string, check func(name, val []byte) bool) bool {
	n := len(r.text)
	ok := r.textElement(name, check)
	r.text = r.text[:n]
	return ok
}

// inlineString appends an inline string (is, whose start tag was read)
// to r.text as excelize reads it: its text (t), then its runs' texts
// (r/t), "_xHHHH_" escapes resolved. A run with its own formatting (rPr)
// or phonetic text is left to excelize.
func (r *sheetReader) inlineString() bool {
	void, ok := r.tagAttrs(nil)
	if !ok {
		return false
	}
	from := len(r.text)
	r.runs = r.runs[:0]
	if !void {
		hasT := false
	loop:
		for {
			switch tt, _ := r.tok(); tt {
			case txml.TextToken:
				if !r.blank() {
					return false
				}
			case txml.EndTagToken:
				if !r.endTag("is") {
					return false
				}
				break loop
			case txml.StartTagToken:
				switch string(r.lex.Text()) {
				case "t":
					if hasT || !r.textElement("t", nil) {
						return false
					}
					hasT = true
				case "r":
					if !r.run() {
						return false
					}
				default:
					return false
				}
			default:
				return false
			}
		}
	}
	r.text = append(r.text, r.runs...)
	if s := r.text[from:]; bytes.Contains(s, []byte("_x")) {
		u := unescapeBSTR(bytes.Clone(s))
		r.text = append(r.text[:from], u...)
	}
	return true
}

// run appends a rich text run's text (r/t) to r.runs.
func (r *sheetReader) run() bool {
	void, ok := r.tagAttrs(nil)
	if !ok || void {
		return ok
	}
	hasT := false
	for {
		switch tt, _ := r.tok(); tt {
		case txml.TextToken:
			if !r.blank() {
				return false
			}
		case txml.EndTagToken:
			return r.endTag("r")
		case txml.StartTagToken:
			if string(r.lex.Text()) != "t" || hasT {
				return false
			}
			hasT = true
			n := len(r.text)
			if !r.textElement("t", nil) {
				return false
			}
			r.runs = append(r.runs, r.text[n:]...)
			r.text = r.text[:n]
		default:
			return false
		}
	}
}

// rowStrings makes the row's cells: one string holds the row's values.
func (r *sheetReader) rowStrings() bool {
	r.cells = nil
	if len(r.vals) == 0 {
		return true
	}
	r.cells = make([]string, r.vals[len(r.vals)-1].col)
	s := string(r.text)
	for _, v := range r.vals {
		if v.shared >= 0 {
			r.cells[v.col-1] = r.sst[v.shared]
		} else {
			r.cells[v.col-1] = s[v.from:v.to]
		}
	}
	return true
}
