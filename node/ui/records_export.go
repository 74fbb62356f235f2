package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kolo-net/kolo/node/records"
)

// exportRecords sends the records the query's filter selects as a file
// to download: CSV (the records of one form, as import reads them) or
// JSON. The file is written whole before it is sent, so that an error
// gives an error page, never a cut file.
func (s *Server) exportRecords(w http.ResponseWriter, rq *request) error {
	q := rq.URL.Query()
	format, err := records.ParseFormat(q.Get("format"), true)
	if err != nil {
		return badRequest(err)
	}
	f, err := records.FilterFromQuery(q)
	if err != nil {
		return badRequest(err)
	}
	var buf bytes.Buffer
	if _, err := s.b.ExportRecords(rq.Context(), &buf, f, records.ExportOptions{Format: format}); err != nil {
		return recordsError(err)
	}
	name := "kolo-records"
	if f.Form != "" {
		name += "-" + f.Form
	}
	name += "-" + s.now().UTC().Format(time.DateOnly) + "." + string(format)
	h := w.Header()
	ct := "application/json"
	if format == records.FormatCSV {
		ct = "text/csv; charset=utf-8"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
	return nil
}
