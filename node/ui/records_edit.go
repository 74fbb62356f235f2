package ui

import (
	"errors"
	"net/http"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Adding and editing a record on its form.

// newRecordPage shows the forms to choose from, or, with ?form=, the
// chosen form, empty.
func (s *Server) newRecordPage(w http.ResponseWriter, rq *request) error {
	ref := rq.URL.Query().Get("form")
	if ref == "" {
		s.render(w, rq, http.StatusOK, "record_new", Page{Title: T(rq.lang, "ui.records.new"), Nav: "records",
			Data: formChoices(s.b.FormList(rq.Context()), rq.lang)})
		return nil
	}
	fi, err := s.b.FormInfo(rq.Context(), ref)
	if err != nil {
		return recordsError(err)
	}
	return s.showRecordForm(w, rq, http.StatusOK, fi, "", nil, nil)
}

// addRecord stores a new record from the posted form, or shows the form
// again with the plugin's problems beside their fields (with 200, not
// 422: a browser reports a 4xx page in its console as an error).
func (s *Server) addRecord(w http.ResponseWriter, rq *request) error {
	fi, err := s.b.FormInfo(rq.Context(), rq.PostFormValue("form"))
	if err != nil {
		return recordsError(err)
	}
	a := answersFromForm(fi, rq.PostForm)
	rec, err := s.b.AddRecord(rq.Context(), fi.Ref(), a)
	if problems, ok := fieldProblems(err); ok {
		return s.showRecordForm(w, rq, http.StatusOK, fi, "", a, problems)
	}
	if err != nil {
		return recordsError(err)
	}
	return redirect(w, rq, Prefix+"records/"+rec.ID+"?saved=1")
}

// editRecordPage shows a record's current answers on the form version it
// was entered with.
func (s *Server) editRecordPage(w http.ResponseWriter, rq *request) error {
	h, err := s.b.RecordHistory(rq.Context(), rq.PathValue("id"))
	if err != nil {
		return recordsError(err)
	}
	if h.Record.Deleted {
		return badRequest(errors.New(T(rq.lang, "ui.record.deleted_note")))
	}
	fi, err := s.b.FormInfo(rq.Context(), h.Record.Form)
	if err != nil {
		return recordsError(err)
	}
	return s.showRecordForm(w, rq, http.StatusOK, fi, h.Record.ID, h.Record.Fields, nil)
}

// editRecord stores the posted answers as a new version of the record.
func (s *Server) editRecord(w http.ResponseWriter, rq *request) error {
	id := rq.PathValue("id")
	h, err := s.b.RecordHistory(rq.Context(), id)
	if err != nil {
		return recordsError(err)
	}
	fi, err := s.b.FormInfo(rq.Context(), h.Record.Form)
	if err != nil {
		return recordsError(err)
	}
	a := answersFromForm(fi, rq.PostForm)
	_, err = s.b.EditRecord(rq.Context(), id, a)
	if problems, ok := fieldProblems(err); ok {
		return s.showRecordForm(w, rq, http.StatusOK, fi, id, a, problems)
	}
	if err != nil {
		return recordsError(err)
	}
	return redirect(w, rq, Prefix+"records/"+id+"?saved=1")
}

// showRecordForm draws fi with answers a and problems.
func (s *Server) showRecordForm(w http.ResponseWriter, rq *request, code int, fi sdk.FormInfo, id string, a sdk.Answers, problems []sdk.FieldError) error {
	rf := newRecordForm(fi, rq.lang, a, problems, s.now())
	rf.RecordID = id
	title := T(rq.lang, "ui.records.new")
	rf.Action = Prefix + "records/new"
	if id != "" {
		title = T(rq.lang, "ui.record.edit")
		rf.Action = Prefix + "records/" + id + "/edit"
	}
	s.render(w, rq, code, "record_form", Page{Title: title, Nav: "records", Data: rf})
	return nil
}

// fieldProblems returns the plugin's problems with a record's answers.
func fieldProblems(err error) ([]sdk.FieldError, bool) {
	var ie *records.InvalidRecordError
	if errors.As(err, &ie) {
		return ie.Errors, true
	}
	return nil, false
}

// recordsError gives a records error its page: 404 for a missing record,
// 400 for input the book refused (its message says what and why), 409
// for a deleted or concurrently changed record.
func recordsError(err error) error {
	switch {
	case errors.Is(err, records.ErrNotFound):
		return &httpError{code: http.StatusNotFound, key: "ui.error.no_record", detail: err.Error()}
	case errors.Is(err, records.ErrDeleted), errors.Is(err, records.ErrChanged):
		return &httpError{code: http.StatusConflict, key: "ui.error.bad_request", detail: err.Error()}
	case errors.Is(err, records.ErrInvalid):
		return badRequest(err)
	}
	return err
}

// formChoice is one form to add a record on.
type formChoice struct {
	ID, Title string
	Kind      sdk.Kind
	Country   string
}

// formChoices lists the forms to add a record on, by country, then kind.
func formChoices(forms []records.FormSummary, lang string) []formChoice {
	out := make([]formChoice, 0, len(forms))
	for _, f := range forms {
		out = append(out, formChoice{ID: f.ID, Title: f.Title.In(lang), Kind: f.Kind, Country: f.Country})
	}
	return out
}

// errTooLongSearch refuses a search longer than records.MaxSearchText.
var errTooLongSearch = errors.New("the search is too long: at most 200 characters")
