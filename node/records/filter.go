package records

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Filter selects records for List and Export. The zero Filter selects
// every record that is not deleted.
type Filter struct {
	Kind    sdk.Kind `json:"kind,omitempty"`    // one of sdk.Kinds
	Form    string   `json:"form,omitempty"`    // form id ("rs.judgment", any version) or reference ("rs.judgment@1")
	Country string   `json:"country,omitempty"` // ISO 3166-1 alpha-2 of the form
	// Since and Until bound the record's Date (see EventDate), both
	// inclusive, as YYYY-MM-DD.
	Since string `json:"since,omitempty"`
	Until string `json:"until,omitempty"`
	// Import selects the records one import created.
	Import string `json:"import,omitempty"`
	// Deleted includes deleted records (their tombstones).
	Deleted bool `json:"deleted,omitempty"`
}

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// Check says what is wrong with f, or nil.
func (f Filter) Check() error {
	if f.Kind != "" && !slices.Contains(sdk.Kinds, f.Kind) {
		return invalidf("kind %q: must be one of %s", clip(string(f.Kind), 40), kindList())
	}
	if f.Form != "" {
		if _, _, err := ParseRef(f.Form); err != nil {
			return err
		}
	}
	if f.Country != "" && !countryCode.MatchString(f.Country) {
		return invalidf("country %q: must be an ISO 3166-1 alpha-2 code in upper case, such as RS", clip(f.Country, 40))
	}
	for _, d := range []struct{ name, v string }{{"since", f.Since}, {"until", f.Until}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(sdk.DateLayout, d.v); err != nil {
			return invalidf("%s %q: must be a date YYYY-MM-DD", d.name, clip(d.v, 40))
		}
	}
	if f.Since != "" && f.Until != "" && f.Since > f.Until {
		return invalidf("since %s is after until %s", f.Since, f.Until)
	}
	if f.Import != "" && !idPattern.MatchString(f.Import) {
		return invalidf("import %q is not an import ID", clip(f.Import, 40))
	}
	return nil
}

// match reports whether s passes f (the date range aside from Until,
// which the scan handles, and visibility, which the Book checks).
func (f Filter) match(s Summary) bool {
	if s.Deleted && !f.Deleted {
		return false
	}
	if f.Form != "" && s.Form != f.Form && !strings.HasPrefix(s.Form, f.Form+"@") {
		return false
	}
	if f.Country != "" && s.Country != f.Country {
		return false
	}
	if f.Since != "" && s.Date < f.Since {
		return false
	}
	if f.Until != "" && s.Date > f.Until {
		return false
	}
	if f.Import != "" && s.Import != f.Import {
		return false
	}
	return true
}

// Query encodes f as URL query parameters; FilterFromQuery decodes them.
func (f Filter) Query() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("kind", string(f.Kind))
	set("form", f.Form)
	set("country", f.Country)
	set("since", f.Since)
	set("until", f.Until)
	set("import", f.Import)
	if f.Deleted {
		q.Set("deleted", "true")
	}
	return q
}

// FilterFromQuery decodes a Filter from URL query parameters and checks it.
func FilterFromQuery(q url.Values) (Filter, error) {
	f := Filter{
		Kind: sdk.Kind(q.Get("kind")), Form: q.Get("form"), Country: q.Get("country"),
		Since: q.Get("since"), Until: q.Get("until"), Import: q.Get("import"),
	}
	if d := q.Get("deleted"); d != "" {
		v, err := strconv.ParseBool(d)
		if err != nil {
			return Filter{}, invalidf("deleted %q: must be true or false", clip(d, 20))
		}
		f.Deleted = v
	}
	return f, f.Check()
}

func kindList() string {
	s := make([]string, len(sdk.Kinds))
	for i, k := range sdk.Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
