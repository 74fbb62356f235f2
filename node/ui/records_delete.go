package ui

import (
	"net/http"

	"github.com/kolo-net/kolo/node/records"
)

// deleteView is the data of the confirmation page.
type deleteView struct {
	Summary records.Summary
	Title   string
}

// Deleting a record: a confirmation page, then a POST that adds a
// tombstone version (earlier versions keep their answers).

// deleteRecordPage asks to confirm the delete.
func (s *Server) deleteRecordPage(w http.ResponseWriter, rq *request) error {
	h, err := s.b.RecordHistory(rq.Context(), rq.PathValue("id"))
	if err != nil {
		return recordsError(err)
	}
	title := h.Record.Form
	if fi, err := s.b.FormInfo(rq.Context(), h.Record.Form); err == nil {
		title = fi.Title.In(rq.lang)
	}
	s.render(w, rq, http.StatusOK, "record_delete", Page{Title: T(rq.lang, "ui.record.delete"), Nav: "records",
		Data: deleteView{Summary: h.Record.Summary(), Title: title}})
	return nil
}

// deleteRecord adds the tombstone.
func (s *Server) deleteRecord(w http.ResponseWriter, rq *request) error {
	id := rq.PathValue("id")
	if rq.PostFormValue("confirm") != "yes" {
		return redirect(w, rq, Prefix+"records/"+id+"/delete")
	}
	if _, err := s.b.DeleteRecord(rq.Context(), id); err != nil {
		return recordsError(err)
	}
	return redirect(w, rq, Prefix+"records/"+id)
}
