package records

import (
	"bufio"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Text encodings of import files. Spreadsheets on Windows in the
// network's countries save "CSV" in the system's code page unless told
// to write "CSV UTF-8": Windows-1250 for Serbian Latin, Croatian and
// Bosnian, Windows-1251 for Serbian Cyrillic and Macedonian. An import
// reads UTF-8; a file that is not UTF-8 is read as whichever of the two
// its text shows, or as the encoding named with ImportOptions.Encoding.
const (
	EncodingUTF8        = "utf-8"
	EncodingWindows1250 = "windows-1250"
	EncodingWindows1251 = "windows-1251"
)

// Encodings lists the encoding names ImportOptions.Encoding takes.
var Encodings = []string{EncodingUTF8, EncodingWindows1250, EncodingWindows1251}

// ParseEncoding checks an encoding name ("" for detection); cp1250 and
// 1250 name Windows-1250, likewise for 1251.
func ParseEncoding(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return "", nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "windows-1250", "cp1250", "1250":
		return EncodingWindows1250, nil
	case "windows-1251", "cp1251", "1251":
		return EncodingWindows1251, nil
	}
	return "", invalidf("encoding %q: must be one of %s", clip(s, 20), strings.Join(Encodings, ", "))
}

var legacy = map[string]*charmap.Charmap{
	EncodingWindows1250: charmap.Windows1250,
	EncodingWindows1251: charmap.Windows1251,
}

// textReader returns a reader of br's text as UTF-8 and the encoding it
// was read in ("" for UTF-8). With name "" it looks at the start of the
// file (br's buffer): UTF-8 stays as it is; other text is read as
// Windows-1250 or -1251 if it clearly is one, and otherwise refused with
// one message for the whole file.
func textReader(br *bufio.Reader, name string) (*bufio.Reader, string, error) {
	if name == "" {
		sample, _ := br.Peek(br.Size())
		if validUTF8Prefix(sample) {
			return br, "", nil
		}
		name = guessLegacy(sample)
		if name == "" {
			return nil, "", invalidf("the file is not UTF-8 text, nor clearly Windows-1250 (Latin) or Windows-1251 (Cyrillic): " +
				`save it as "CSV UTF-8" (Excel) or with character set "Unicode (UTF-8)" (LibreOffice), or name its encoding with --encoding windows-1250 or windows-1251`)
		}
	}
	cm, ok := legacy[name]
	if !ok {
		return br, "", nil // UTF-8, named
	}
	return bufio.NewReaderSize(transform.NewReader(br, cm.NewDecoder()), br.Size()), name, nil
}

// validUTF8Prefix reports whether b is UTF-8 but for a rune cut at its end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// guessLegacy tells Windows-1251 from Windows-1250 text. Decoded as
// Windows-1251, Latin text's č, ć, ž, š, đ become Cyrillic letters too, so
// the letters alone do not tell; the words do: in Cyrillic text a word
// with a letter above ASCII is all such letters ("пресуда"), in Latin text
// it is mostly ASCII ("presuđena"). It returns "" when the text shows
// neither clearly, or decodes to what is not letters.
func guessLegacy(sample []byte) string {
	var words, allHigh, high int
	inWord, wordHigh, wordLow := false, 0, 0
	end := func() {
		if inWord && wordHigh > 0 {
			words++
			if wordLow == 0 {
				allHigh++
			}
		}
		inWord, wordHigh, wordLow = false, 0, 0
	}
	for _, b := range sample {
		switch {
		case b >= 0x80:
			inWord = true
			wordHigh++
			high++
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z':
			inWord = true
			wordLow++
		default:
			end()
		}
	}
	end()
	if words == 0 {
		return ""
	}
	var name string
	switch share := float64(allHigh) / float64(words); {
	case share >= 0.6:
		name = EncodingWindows1251
	case share <= 0.4:
		name = EncodingWindows1250
	default:
		return ""
	}
	// Every byte above ASCII must be a letter (or a typographic mark
	// spreadsheets write) in the chosen code page.
	letters := 0
	for _, b := range sample {
		if b < 0x80 {
			continue
		}
		r := legacy[name].DecodeByte(b)
		if unicode.IsLetter(r) || strings.ContainsRune("–—„“”‘’«»…€°§", r) || r == '\u00a0' {
			letters++
		}
	}
	if float64(letters) < 0.95*float64(high) {
		return ""
	}
	return name
}

// encodingNote says how a file was read, for the result of an import.
func encodingNote(name string, detected bool) string {
	how := "named with --encoding"
	if detected {
		how = "detected: the file is not UTF-8"
	}
	return fmt.Sprintf("read as %s (%s)", strings.Replace(name, "windows", "Windows", 1), how)
}
