package ui

// recordsRoutes registers the records pages (records_*.go).
func (s *Server) recordsRoutes() {
	s.page("GET "+Prefix+"records", s.recordsListPage)
	s.action("POST "+Prefix+"records/search", s.searchRecords)
	s.page("GET "+Prefix+"records/export", s.exportRecords)
	s.page("GET "+Prefix+"records/new", s.newRecordPage)
	s.action("POST "+Prefix+"records/new", s.addRecord)
	s.page("GET "+Prefix+"records/import", s.importPage)
	s.upload("POST "+Prefix+"records/import", maxUpload, s.startImport)
	s.page("GET "+Prefix+"imports/{job}", s.importJobPage)
	s.page("GET "+Prefix+"records/{id}", s.recordPage)
	s.page("GET "+Prefix+"records/{id}/edit", s.editRecordPage)
	s.action("POST "+Prefix+"records/{id}/edit", s.editRecord)
	s.page("GET "+Prefix+"records/{id}/delete", s.deleteRecordPage)
	s.action("POST "+Prefix+"records/{id}/delete", s.deleteRecord)
}
