package sdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxAnswersBytes caps the JSON of one record's answers: the largest form
// (MaxFields fields of text at DefaultTextMaxLen characters) fits many
// times over in this, and a file that does not fit is not a record.
const MaxAnswersBytes = 1 << 20

// DecodeAnswers reads one record's answers: a JSON object of at most
// MaxAnswersBytes bytes, valid UTF-8 (encoding/json would silently replace
// invalid bytes, hiding them from ValidateAnswers), with no key twice and
// nothing after the object. Values keep the types encoding/json gives
// (string, float64, bool, nil, []any, map[string]any); ValidateAnswers
// then judges them against a form.
func DecodeAnswers(r io.Reader) (Answers, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxAnswersBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read answers: %w", err)
	}
	if len(data) > MaxAnswersBytes {
		return nil, fmt.Errorf("answers are larger than %d bytes", MaxAnswersBytes)
	}
	return ParseAnswers(data)
}

// ParseAnswers is DecodeAnswers on bytes already read (at most
// MaxAnswersBytes of them).
func ParseAnswers(data []byte) (Answers, error) {
	if len(data) > MaxAnswersBytes {
		return nil, fmt.Errorf("answers are larger than %d bytes", MaxAnswersBytes)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("answers are not valid UTF-8 (first bad byte at offset %d)", firstInvalid(data))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("answers: %w", jsonErr(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("answers must be a JSON object of field ids to values")
	}
	a := Answers{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("answers: %w", jsonErr(err))
		}
		key := tok.(string) // inside an object, encoding/json only yields string keys
		if _, dup := a[key]; dup {
			return nil, fmt.Errorf("answers: field %q appears twice", clip(key, 64))
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("answers: field %q: %w", clip(key, 64), jsonErr(err))
		}
		a[key] = v
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("answers: %w", jsonErr(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("answers: unexpected data after the JSON object")
	}
	return a, nil
}

func jsonErr(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// SetSeparator separates the values of a set in a spreadsheet cell:
// "shelter;medical". (A comma would clash with CSV.)
const SetSeparator = ";"

// AnswersFromStrings turns one spreadsheet row (field id → cell text, as a
// CSV export gives it) into Answers by the form's field types: an empty
// cell is no answer; int and number cells are decimal numbers ("12",
// "1500.50"); bool cells are true/false (also 1/0, yes/no, da/ne, да/не);
// set cells are values separated by SetSeparator; string, text, date and
// choice cells are kept as text. Cells of unknown columns are kept as text
// so that ValidateAnswers reports them. A cell that does not parse is
// reported with the rule ValidateAnswers would give, e.g.
//
//	sentence_months: must be 0..600, got "12 mj"
//
// Run ValidateAnswers on the result as on any answers.
func AnswersFromStrings(info FormInfo, row map[string]string) (Answers, []FieldError) {
	fields := make(map[string]Field, len(info.Fields))
	for _, f := range info.Fields {
		fields[f.ID] = f
	}
	a := make(Answers, len(row))
	var errs []FieldError
	for id, cell := range row {
		cell = strings.TrimSpace(cell)
		if cell == "" {
			continue
		}
		f, ok := fields[id]
		if !ok {
			a[id] = cell
			continue
		}
		v, fe := parseCell(f, cell)
		if fe != nil {
			errs = append(errs, *fe)
			continue
		}
		a[id] = v
	}
	if len(errs) > 0 {
		sortErrors(info, errs)
		return nil, capErrors(errs)
	}
	return a, nil
}

func parseCell(f Field, cell string) (any, *FieldError) {
	switch f.Type {
	case TypeInt, TypeNumber:
		n, err := strconv.ParseFloat(cell, 64)
		if err != nil {
			fe := f.numberError()
			fe.Got = clip(cell, 64)
			return nil, &fe
		}
		return n, nil
	case TypeBool:
		switch strings.ToLower(cell) {
		case "true", "1", "yes", "da", "да":
			return true, nil
		case "false", "0", "no", "ne", "не":
			return false, nil
		}
		return nil, &FieldError{Field: f.ID, Rule: "must be true or false", Got: clip(cell, 64), Code: RuleBoolean}
	case TypeSet:
		parts := strings.Split(cell, SetSeparator)
		vals := make([]any, 0, len(parts))
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				vals = append(vals, p)
			}
		}
		return vals, nil
	}
	return cell, nil
}

// sortErrors puts errors in the form's field order, unknown fields first.
func sortErrors(info FormInfo, errs []FieldError) {
	pos := make(map[string]int, len(info.Fields))
	for i, f := range info.Fields {
		pos[f.ID] = i + 1
	}
	slices.SortStableFunc(errs, func(a, b FieldError) int {
		if pa, pb := pos[a.Field], pos[b.Field]; pa != pb {
			return pa - pb
		}
		return strings.Compare(a.Field, b.Field)
	})
}
