package records

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/kolo-net/kolo/node/store"
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
	forms := map[string]map[string]searchField{}
	out := []Summary{}
	err := b.scanIndex(ctx, f, func(tx *store.Tx, s Summary) error {
		if w := words[0]; len(words) == 1 && (w.in(s.ID) || w.in(s.Form)) {
			out = append(out, s)
			return nil
		}
		fields, ok := forms[s.Form]
		if !ok {
			fields = b.searchFields(s)
			forms[s.Form] = fields
		}
		val, err := tx.Get(spaceRecord, []byte(s.ID))
		if err != nil {
			return fmt.Errorf("record %s: %w", s.ID, err)
		}
		// Only the answers: decoding the whole record (its indicators in
		// their Go types) would double the search's time.
		var r struct {
			Fields sdk.Answers `json:"fields"`
		}
		if err := json.Unmarshal(val, &r); err != nil {
			return fmt.Errorf("record %s: %w", s.ID, err)
		}
		if matchesAll(s, r.Fields, fields, words) {
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortSummaries(out)
	return out, nil
}

// searchField is a public field of a form, with its options' values and
// labels (every language) in lower case, as a search compares them.
type searchField struct {
	typ     sdk.FieldType
	options map[string][]string // value → lower-case value and labels
}

// searchFields returns the public fields of the form version s was
// entered on (none if no plugin serves it now).
func (b *Book) searchFields(s Summary) map[string]searchField {
	out := map[string]searchField{}
	fi, err := b.formOf(Record{ID: s.ID, Form: s.Form})
	if err != nil {
		return out
	}
	for _, fd := range fi.Fields {
		if fd.Private() {
			continue
		}
		sf := searchField{typ: fd.Type}
		if len(fd.Options) > 0 {
			sf.options = map[string][]string{}
			for _, o := range fd.Options {
				texts := []string{strings.ToLower(o.Value)}
				for _, l := range o.Label {
					texts = append(texts, strings.ToLower(l))
				}
				sf.options[o.Value] = texts
			}
		}
		out[fd.ID] = sf
	}
	return out
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

// matchesAll reports whether every word is in one of the record's public
// answers, its ID or its form.
func matchesAll(s Summary, answers sdk.Answers, fields map[string]searchField, words []searchWord) bool {
	for _, w := range words {
		if !matchesWord(s, answers, fields, w) {
			return false
		}
	}
	return true
}

func matchesWord(s Summary, answers sdk.Answers, fields map[string]searchField, w searchWord) bool {
	if w.in(s.ID) || w.in(s.Form) {
		return true
	}
	for id, v := range answers {
		fd, public := fields[id]
		if public && w.inAnswer(fd, v) {
			return true
		}
	}
	return false
}

// in reports whether s holds the word, ignoring case.
func (w searchWord) in(s string) bool { return w.inLower(strings.ToLower(s)) }

// inLower reports whether s, in lower case already, holds the word.
func (w searchWord) inLower(s string) bool {
	for _, form := range w {
		if strings.Contains(s, form) {
			return true
		}
	}
	return false
}

// inAnswer reports whether the word is in answer v to field fd.
func (w searchWord) inAnswer(fd searchField, v any) bool {
	switch fd.typ {
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
func (w searchWord) inOption(fd searchField, s string) bool {
	for _, t := range fd.options[s] {
		if w.inLower(t) {
			return true
		}
	}
	return false
}
