package ui

import "net/http"

// Network is what the network pages need of the node: members, the
// Declaration, invites. (Stub of the foundation: ui-net's network_*.go
// replace this file.)
type Network interface{}

// networkRoutes registers the network pages.
func (s *Server) networkRoutes() {
	s.page("GET "+Prefix+"network", func(w http.ResponseWriter, rq *request) error {
		s.render(w, rq, http.StatusOK, "message", Page{Title: T(rq.lang, "ui.nav.network"), Nav: "network",
			Data: message{Text: T(rq.lang, "ui.not_yet")}})
		return nil
	})
}
