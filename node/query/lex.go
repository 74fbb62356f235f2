package query

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a token.
type tokKind int

const (
	tokEOF    tokKind = iota
	tokWord           // letters, digits and _, starting with a letter
	tokNumber         // digits, optionally . and digits
	tokDate           // YYYY-MM-DD
	tokPunct          // ( ) , ; = != < <= > >=
)

// token is one token of a query's text, with its byte offset.
type token struct {
	kind tokKind
	text string
	off  int
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "the end of the query"
	case tokPunct:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", clip(t.text, 40))
}

// allowedChars is what the lexer accepts, for its error message.
const allowedChars = "letters a-z A-Z, digits, _, -, ., ( ) , ; = != < <= > >= and spaces"

// lex splits text into tokens. It is hand-written because the language is
// tiny and every error must name its byte offset and what is allowed,
// which a generated lexer would not do better.
func lex(text string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(text) {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isLetter(c):
			j := i + 1
			for j < len(text) && (isLetter(text[j]) || isDigit(text[j]) || text[j] == '_') {
				j++
			}
			toks = append(toks, token{tokWord, text[i:j], i})
			i = j
		case isDigit(c):
			j := i
			for j < len(text) && isDigit(text[j]) {
				j++
			}
			if j-i == 4 && j < len(text) && text[j] == '-' {
				// A date: YYYY-MM-DD.
				if len(text) < i+10 || !isDigit(text[i+5]) || !isDigit(text[i+6]) || text[i+7] != '-' ||
					!isDigit(text[i+8]) || !isDigit(text[i+9]) || i+10 < len(text) && (isDigit(text[i+10]) || isLetter(text[i+10])) {
					return nil, &Error{Offset: i, Msg: "a date is written YYYY-MM-DD, as in 2024-05-20"}
				}
				toks = append(toks, token{tokDate, text[i : i+10], i})
				i += 10
				continue
			}
			if j < len(text) && text[j] == '.' {
				j++
				k := j
				for j < len(text) && isDigit(text[j]) {
					j++
				}
				if j == k {
					return nil, &Error{Offset: i, Msg: "a number needs digits after its decimal point, as in 12.5"}
				}
			}
			if j < len(text) && (isLetter(text[j]) || text[j] == '_' || text[j] == '.') {
				return nil, &Error{Offset: i, Msg: fmt.Sprintf("%q is neither a number nor a name: numbers are digits with an optional decimal point (12, 12.5), names start with a letter", clip(text[i:wordEnd(text, j)], 40))}
			}
			toks = append(toks, token{tokNumber, text[i:j], i})
			i = j
		case strings.IndexByte("(),;=", c) >= 0:
			toks = append(toks, token{tokPunct, text[i : i+1], i})
			i++
		case c == '<' || c == '>' || c == '!':
			if i+1 < len(text) && text[i+1] == '=' {
				toks = append(toks, token{tokPunct, text[i : i+2], i})
				i += 2
				continue
			}
			if c == '!' {
				return nil, &Error{Offset: i, Msg: `"!" must be followed by "=" (write != for "not equal", or use not)`}
			}
			toks = append(toks, token{tokPunct, text[i : i+1], i})
			i++
		default:
			r, _ := utf8.DecodeRuneInString(text[i:])
			what := strconv.QuoteRune(r)
			if r == '\'' || r == '"' {
				return nil, &Error{Offset: i, Msg: "values are written without quotes (verdict = convicted); allowed are " + allowedChars}
			}
			return nil, &Error{Offset: i, Msg: fmt.Sprintf("unexpected character %s: allowed are %s", what, allowedChars)}
		}
	}
	return append(toks, token{tokEOF, "", len(text)}), nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// wordEnd returns the end of the run of name characters from j.
func wordEnd(text string, j int) int {
	for j < len(text) && (isLetter(text[j]) || isDigit(text[j]) || text[j] == '_' || text[j] == '.') {
		j++
	}
	return j
}

// clip shortens s for a message and makes it valid UTF-8.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
