package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Languages are the languages a report is written in.
var Languages = sdk.Languages

// CheckLang refuses a language the report has no texts in.
func CheckLang(lang string) error {
	if !slices.Contains(Languages, lang) {
		return fmt.Errorf("language %q: a report is written in %s", lang, strings.Join(Languages, ", "))
	}
	return nil
}

// text is the UI text key in lang.
func text(lang string, key sdk.UIKey) string { return sdk.UIText(lang, key) }

// Localize fills in r's labels in lang: titles, countries, rows, notes.
// The identifiers (figure ids, indicator values) stay as they are, so a
// report read back from its JSON can be written again in another
// language.
func Localize(r *Report, lang string) {
	r.Lang = lang
	r.Title = text(lang, "report.title")
	for i := range r.Countries {
		r.Countries[i].Name = declaration.CountryName(lang, r.Countries[i].Code)
	}
	specs := map[string]Spec{}
	for _, s := range catalogue {
		specs[s.ID] = s
	}
	for si := range r.Sections {
		sec := &r.Sections[si]
		sec.Title = text(lang, sdk.UIKey("report.sec."+sec.ID))
		for fi := range sec.Figures {
			localizeFigure(&sec.Figures[fi], specs[sec.Figures[fi].ID], r.Queries, lang)
		}
	}
	for i := range r.Declaration.ByCountry {
		c := &r.Declaration.ByCountry[i]
		c.Name = declaration.CountryName(lang, c.Country)
	}
	for i := range r.Targets {
		r.Targets[i].Title = text(lang, sdk.UIKey("report.target."+r.Targets[i].ID))
	}
}

func localizeFigure(f *Figure, s Spec, qs []Query, lang string) {
	f.Title = text(lang, sdk.UIKey("report.fig."+f.ID))
	f.Note = ""
	if s.Undated {
		f.Note = text(lang, "report.note.undated")
	}
	var kind sdk.Kind
	if f.Query >= 1 && f.Query <= len(qs) {
		if q, err := query.Parse(qs[f.Query-1].Text, query.Options{}); err == nil {
			kind = q.Kind
		}
	}
	ind, isInd := sdk.LookupIndicator(kind, f.RowsBy)
	switch {
	case f.RowsBy == "year", f.RowsBy == "bin":
		f.RowsLabel = text(lang, sdk.UIKey("report.rows."+f.RowsBy))
	case isInd:
		f.RowsLabel = ind.Label.In(lang)
	default:
		f.RowsLabel = ""
	}
	empty := s.Empty
	if empty == "" {
		empty = "report.not_recorded"
	}
	for ri := range f.Rows {
		row := &f.Rows[ri]
		switch {
		case f.RowsBy == "":
			row.Label = text(lang, "report.row.total")
		case row.Key == "":
			row.Label = text(lang, empty)
		case f.RowsBy == "bin":
			row.Label = binLabel(row.Key)
		case isInd && ind.Type == sdk.IndicatorBool:
			row.Label = text(lang, sdk.UIKey(map[string]string{"true": "yes", "false": "no"}[row.Key]))
		case isInd:
			row.Label = row.Key
			for _, o := range ind.Options {
				if o.Value == row.Key {
					row.Label = o.Label.In(lang)
				}
			}
		default:
			row.Label = row.Key
		}
	}
}

// binLabel writes a histogram bin of whole numbers as a reader expects:
// "[12,36)" as "12–35", "(-inf,12)" as "< 12", "[120,inf)" as "≥ 120".
func binLabel(b string) string {
	lo, hi, ok := strings.Cut(strings.Trim(b, "[()"), ",")
	if !ok {
		return b
	}
	switch {
	case lo == "-inf":
		return "< " + hi
	case hi == "inf":
		return "≥ " + lo
	}
	h, err := strconv.ParseFloat(hi, 64)
	if err != nil || h != math.Trunc(h) {
		return lo + "–" + hi
	}
	return lo + "–" + strconv.FormatFloat(h-1, 'f', -1, 64)
}
