package records

import "github.com/kolo-net/kolo/plugins/sdk"

// FormSummary describes one form across its versions, as kolo forms list
// shows it.
type FormSummary struct {
	ID          string    `json:"id"`
	Versions    []int     `json:"versions"` // ascending; new records go on the last
	Kind        sdk.Kind  `json:"kind"`
	Country     string    `json:"country"`
	CodeVersion string    `json:"code_version,omitempty"`
	Title       sdk.Label `json:"title"` // of the latest version
	Fields      int       `json:"fields"`
}

// FormList summarises every form the Book's plugins serve, by id.
func FormList(forms Forms) []FormSummary {
	out := []FormSummary{}
	for _, fi := range forms.Forms() { // by id, then version
		if n := len(out); n > 0 && out[n-1].ID == fi.ID {
			s := &out[n-1]
			s.Versions = append(s.Versions, fi.Version)
			s.Title, s.CodeVersion, s.Fields = fi.Title, fi.CodeVersion, len(fi.Fields)
			continue
		}
		out = append(out, FormSummary{ID: fi.ID, Versions: []int{fi.Version}, Kind: fi.Kind, Country: fi.Country,
			CodeVersion: fi.CodeVersion, Title: fi.Title, Fields: len(fi.Fields)})
	}
	return out
}

// Forms summarises every form served, by id.
func (b *Book) Forms() []FormSummary { return FormList(b.forms) }

// Form returns the form version ref names: "rs.judgment" for the latest,
// "rs.judgment@1" for version 1.
func (b *Book) Form(ref string) (sdk.FormInfo, error) { return b.resolve(ref) }
