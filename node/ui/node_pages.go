package ui

// nodeRoutes registers the node's pages (node_*.go): status, peers,
// plugins, audit log.
func (s *Server) nodeRoutes() {}
