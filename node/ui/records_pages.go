package ui

// recordsRoutes registers the records pages (records_*.go).
func (s *Server) recordsRoutes() {}
