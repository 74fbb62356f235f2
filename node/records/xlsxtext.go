package records

import "unicode/utf8"

// The sheet reader's (xlsxsheet.go) text rules: character data and
// attribute values decoded exactly as encoding/xml, which excelize's Rows
// reads with, decodes them. Each function reports false where
// encoding/xml would refuse the text, or where the text holds something
// (a named entity beyond the five, a character reference to a
// non-character) the reader leaves to excelize: the caller then falls
// back to excelize, so a refusal here never misreads a cell.

// appendXMLText appends the raw XML text b, decoded, to dst: the five
// predefined entities and character references resolved, a raw "\r\n" or
// "\r" read as "\n" (XML 1.0 §2.11, as encoding/xml does), every character
// an XML character. inAttr is for a quoted attribute value, where "]]>"
// is allowed and "<" is not (the lexer ends text at "<").
func appendXMLText(dst, b []byte, inAttr bool) ([]byte, bool) {
	start := 0
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c >= 0x20 && c < utf8.RuneSelf:
			switch c {
			case '<':
				return dst, false
			case '>':
				if !inAttr && i >= 2 && b[i-1] == ']' && b[i-2] == ']' {
					return dst, false // encoding/xml: unescaped ]]> not in CDATA section
				}
			case '&':
				r, n, ok := charRef(b[i:])
				if !ok {
					return dst, false
				}
				dst = utf8.AppendRune(append(dst, b[start:i]...), r)
				i += n
				start = i
				continue
			}
			i++
		case c == '\t' || c == '\n':
			i++
		case c == '\r':
			dst = append(append(dst, b[start:i]...), '\n')
			i++
			if i < len(b) && b[i] == '\n' {
				i++
			}
			start = i
		case c < 0x20:
			return dst, false
		default:
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 || !xmlChar(r) {
				return dst, false
			}
			i += n
		}
	}
	return append(dst, b[start:]...), true
}

// charRef reads the entity or character reference at the start of b
// ("&amp;", "&#10;", "&#x41;"): its character and its length.
func charRef(b []byte) (rune, int, bool) {
	end := 0
	for j := 1; j < len(b) && j < 12; j++ {
		if b[j] == ';' {
			end = j
			break
		}
	}
	if end < 2 {
		return 0, 0, false
	}
	name := b[1:end]
	switch string(name) {
	case "amp":
		return '&', end + 1, true
	case "lt":
		return '<', end + 1, true
	case "gt":
		return '>', end + 1, true
	case "apos":
		return '\'', end + 1, true
	case "quot":
		return '"', end + 1, true
	}
	if name[0] != '#' {
		return 0, 0, false
	}
	digits, base := name[1:], 10
	if len(digits) > 0 && digits[0] == 'x' { // encoding/xml takes a lower-case x only
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, 0, false
	}
	var v rune
	for _, d := range digits {
		var n byte
		switch {
		case '0' <= d && d <= '9':
			n = d - '0'
		case base == 16 && 'a' <= d && d <= 'f':
			n = d - 'a' + 10
		case base == 16 && 'A' <= d && d <= 'F':
			n = d - 'A' + 10
		default:
			return 0, 0, false
		}
		v = v*rune(base) + rune(n)
		if v > utf8.MaxRune {
			return 0, 0, false
		}
	}
	if !xmlChar(v) {
		return 0, 0, false
	}
	return v, end + 1, true
}

// xmlChar is encoding/xml's isInCharacterRange: the characters XML 1.0
// allows.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// unescapeBSTR resolves the "_xHHHH_" escapes excelize resolves in a
// string item (its bstrUnmarshal, applied by xlsxSI.String): Excel writes
// a character XML cannot hold, such as a control character, as _x0001_,
// and "_" before such a sequence as _x005F_. A sequence naming no
// character (a surrogate half) reads as nothing, as in excelize.
func unescapeBSTR(s []byte) []byte {
	var out []byte
	start := 0
	for i := 0; i+7 <= len(s); {
		if s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
			i++
			continue
		}
		v, ok := hex4(s[i+2 : i+6])
		if !ok {
			i++
			continue
		}
		out = append(out, s[start:i]...)
		if r := rune(v); utf8.ValidRune(r) {
			out = utf8.AppendRune(out, r)
		}
		i += 7
		start = i
	}
	if out == nil {
		return s
	}
	return append(out, s[start:]...)
}

func hex4(b []byte) (int, bool) {
	v := 0
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | int(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case 'A' <= c && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// cellColumn reads the column of a cell reference as Excel writes it
// ("A1", "XFD1048576"): 1 for A. It reports false for any other form
// (lower case, "$A$1", a column past XFD, a row past 1,048,576), which
// the reader leaves to excelize.
func cellColumn(ref []byte) (int, bool) {
	i, col := 0, 0
	for i < len(ref) && i < 3 && 'A' <= ref[i] && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	if i == 0 || col > 16384 {
		return 0, false
	}
	row, ok := positive(ref[i:], 1048576)
	return col, ok && row > 0
}

// positive reads a decimal number 1..max written without sign, spaces or
// leading zeros.
func positive(b []byte, max int) (int, bool) {
	if len(b) == 0 || len(b) > 9 || b[0] == '0' {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n <= max
}
