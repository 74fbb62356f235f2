package ui

import "net/http"

// Analyst is what the analysis pages need of the node: federated queries
// and the regional report. (Stub of the foundation: ui-net's analyst_*.go
// replace this file.)
type Analyst interface{}

// analystRoutes registers the analysis pages.
func (s *Server) analystRoutes() {
	s.page("GET "+Prefix+"analysis", func(w http.ResponseWriter, rq *request) error {
		s.render(w, rq, http.StatusOK, "message", Page{Title: T(rq.lang, "ui.nav.analysis"), Nav: "analysis",
			Data: message{Text: T(rq.lang, "ui.not_yet")}})
		return nil
	})
}
