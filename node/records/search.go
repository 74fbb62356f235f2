package records

import (
	"context"
	"strconv"
	"strings"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// MaxSearchText caps the text of a search.
const MaxSearchText = 200

// Search returns the summaries of the records f selects whose public
// answers hold every word of text, by date, then ID, as List. It looks
// only at answers that may leave the node anyway: never at a personal or
// free-text field (sdk.Field.Private), so a search cannot tell which
// record holds a name. A word matches, ignoring case, part of a text or
// date answer, an option's value or its label in any language, a number
// written the same, the record's ID or its form. A word in Serbian Latin
// script also matches the same word in Cyrillic. Deleted records are not
// searched (they hold no answers).
func (b *Book) Search(ctx context.Context, f Filter, text string) ([]Summary, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	if len([]rune(text)) > MaxSearchText {
		return nil, invalidf("the search is %d characters long, at most %d allowed", len([]rune(text)), MaxSearchText)
	}
	words := searchWords(text)
	if len(words) == 0 {
		return b.List(ctx, f)
	}
	f.Deleted = false
	forms := map[string]map[string]sdk.Field{}
	out := []Summary{}
	err := b.Each(ctx, f, func(r Record) error {
		fields, ok := forms[r.Form]
		if !ok {
			fields = map[string]sdk.Field{}
			if fi, err := b.formOf(r); err == nil {
				for _, fd := range fi.Fields {
					if !fd.Private() {
						fields[fd.ID] = fd
					}
				}
			}
			forms[r.Form] = fields
		}
		if matchesAll(r, fields, words) {
			out = append(out, r.Summary())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortSummaries(out)
	return out, nil
}

// searchWord is one word of a search, in the forms it may be written.
type searchWord []string

// searchWords splits text into lower-case words, each with its Serbian
// Cyrillic spelling when that differs.
func searchWords(text string) []searchWord {
	var out []searchWord
	for _, w := range strings.Fields(strings.ToLower(text)) {
		sw := searchWord{w}
		if c := sdk.SerbianCyrillic(w); c != w {
			sw = append(sw, c)
		}
		out = append(out, sw)
	}
	return out
}

// matchesAll reports whether every word is in one of r's public answers.
func matchesAll(r Record, fields map[string]sdk.Field, words []searchWord) bool {
	for _, w := range words {
		if !matchesWord(r, fields, w) {
			return false
		}
	}
	return true
}

func matchesWord(r Record, fields map[string]sdk.Field, w searchWord) bool {
	if w.in(r.ID) || w.in(r.Form) {
		return true
	}
	for id, v := range r.Fields {
		fd, public := fields[id]
		if public && w.inAnswer(fd, v) {
			return true
		}
	}
	return false
}

// in reports whether s holds the word, ignoring case.
func (w searchWord) in(s string) bool {
	s = strings.ToLower(s)
	for _, form := range w {
		if strings.Contains(s, form) {
			return true
		}
	}
	return false
}

// inAnswer reports whether the word is in answer v to field fd.
func (w searchWord) inAnswer(fd sdk.Field, v any) bool {
	switch fd.Type {
	case sdk.TypeString, sdk.TypeDate:
		s, _ := v.(string)
		return w.in(s)
	case sdk.TypeInt, sdk.TypeNumber:
		if n, ok := v.(float64); ok {
			return w[0] == strconv.FormatFloat(n, 'f', -1, 64)
		}
	case sdk.TypeChoice:
		s, _ := v.(string)
		return w.inOption(fd, s)
	case sdk.TypeSet:
		vals, _ := v.([]any)
		for _, x := range vals {
			if s, ok := x.(string); ok && w.inOption(fd, s) {
				return true
			}
		}
	}
	return false
}

// inOption reports whether the word is in option value s or its labels.
func (w searchWord) inOption(fd sdk.Field, s string) bool {
	if s == "" {
		return false
	}
	if w.in(s) {
		return true
	}
	for _, o := range fd.Options {
		if o.Value != s {
			continue
		}
		for _, l := range o.Label {
			if w.in(l) {
				return true
			}
		}
	}
	return false
}
