package records

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Where the sheet reader (xlsxsheet.go) finds a sheet's XML: the part of
// the workbook's zip that excelize reads for the sheet, found the way
// excelize finds it (its getSheetMap and getWorksheetPath are not
// exported), read from the copy excelize holds or, for a sheet over
// excelize's in-memory limit, streamed from the zip again.

// errLeaveToExcelize says the sheet holds something the reader leaves to
// excelize's Rows.
var errLeaveToExcelize = errors.New("left to excelize")

// relationships is a part's relationships (_rels/*.rels), as excelize
// decodes them.
type relationships struct {
	XMLName xml.Name `xml:"http://schemas.openxmlformats.org/package/2006/relationships Relationships"`
	Rels    []struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:",attr"`
		Type   string `xml:",attr"`
	} `xml:"Relationship"`
}

// readRels decodes the relationships part at path; none where the
// workbook has no such part. It refuses a Strict OOXML workbook, whose
// relationship types excelize rewrites first.
func readRels(wb *excelize.File, path string) (*relationships, error) {
	b, ok := pkgPart(wb, path)
	if !ok {
		return &relationships{}, nil
	}
	if bytes.Contains(b, []byte("purl.oclc.org")) {
		return nil, errLeaveToExcelize
	}
	var r relationships
	if err := xml.NewDecoder(bytes.NewReader(b)).Decode(&r); err != nil && err != io.EOF {
		return nil, errLeaveToExcelize
	}
	return &r, nil
}

func pkgPart(wb *excelize.File, path string) ([]byte, bool) {
	v, ok := wb.Pkg.Load(path)
	if !ok {
		return nil, false
	}
	b, ok := v.([]byte)
	return b, ok
}

// sheetPath is the zip path of the sheet's XML as excelize maps it: the
// workbook (the package's officeDocument relationship), the workbook's
// relationships, the relationship whose Id the sheet names.
func sheetPath(wb *excelize.File, zr func() *zip.Reader, sheet string) (string, error) {
	root, err := readRels(wb, "_rels/.rels")
	if err != nil {
		return "", err
	}
	wbPath := ""
	for _, r := range root.Rels {
		if r.Type == excelize.SourceRelationshipOfficeDocument {
			wbPath = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	relsPath := strings.TrimPrefix(filepath.Dir(wbPath)+"/_rels/"+filepath.Base(wbPath)+".rels", "/")
	if filepath.Dir(wbPath) == "." {
		relsPath = "_rels/" + filepath.Base(wbPath) + ".rels"
	}
	rels, err := readRels(wb, relsPath)
	if err != nil || wb.WorkBook == nil {
		return "", errLeaveToExcelize
	}
	ids := map[string]bool{}
	for _, r := range rels.Rels {
		if ids[r.ID] {
			return "", errLeaveToExcelize // excelize keeps the last that exists
		}
		ids[r.ID] = true
	}
	var found []string
	for _, s := range wb.WorkBook.Sheets.Sheet {
		if !strings.EqualFold(s.Name, sheet) {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID != s.ID {
				continue
			}
			p := filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(fmt.Sprintf("%s/%s", filepath.Dir(wbPath), r.Target)), "\\", "/"), "/"))
			if strings.HasPrefix(r.Target, "/") {
				p = filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(r.Target), "\\", "/"), "/"))
			}
			if _, ok := pkgPart(wb, p); ok || zipEntry(zr(), p) != nil {
				found = append(found, p)
			}
		}
	}
	if len(found) != 1 {
		return "", errLeaveToExcelize
	}
	return found[0], nil
}

// zipEntry is the zip's one entry named name (excelize's name for it:
// "\" read as "/"); nil where none or more than one is.
func zipEntry(zr *zip.Reader, name string) *zip.File {
	if zr == nil {
		return nil
	}
	var f *zip.File
	for _, e := range zr.File {
		if strings.ReplaceAll(e.Name, "\\", "/") == name {
			if f != nil {
				return nil
			}
			f = e
		}
	}
	return f
}

// openSheetXML opens the sheet's XML: excelize's in-memory copy, or the
// zip entry excelize unzipped to a temporary file (a sheet over its
// in-memory limit), read again from the workbook (data).
func openSheetXML(wb *excelize.File, data []byte, sheet string) (io.ReadCloser, error) {
	var zr *zip.Reader
	zipped := func() *zip.Reader {
		if zr == nil {
			zr, _ = zip.NewReader(bytes.NewReader(data), int64(len(data)))
		}
		return zr
	}
	path, err := sheetPath(wb, zipped, sheet)
	if err != nil {
		return nil, err
	}
	if b, ok := pkgPart(wb, path); ok {
		if len(b) == 0 {
			return nil, errLeaveToExcelize // excelize looks for a temporary file then
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	f := zipEntry(zipped(), path)
	if f == nil {
		return nil, errLeaveToExcelize
	}
	return f.Open() // archive/zip refuses more than the size the entry declares
}
