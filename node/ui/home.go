package ui

import "net/http"

// home is the first page: what each area of the interface is for.
func (s *Server) home(w http.ResponseWriter, rq *request) error {
	s.render(w, rq, http.StatusOK, "home", Page{Title: T(rq.lang, "ui.home.title")})
	return nil
}
