package sdk

import "strings"

// Languages lists the BCP 47 tags of the languages the forms shipped with
// kolo carry, English first.
var Languages = []string{"en", "sr-Latn", "sr-Cyrl", "hr", "bs", "mk"}

// l6 builds a label in the six languages of the network from English,
// Serbian (Latin script), Croatian, Bosnian and Macedonian (Cyrillic); the
// Serbian Cyrillic text is transliterated from the Latin one.
func l6(en, srLatn, hr, bs, mk string) Label {
	return Label{"en": en, "sr-Latn": srLatn, "sr-Cyrl": SerbianCyrillic(srLatn), "hr": hr, "bs": bs, "mk": mk}
}

// SerbianCyrillic transliterates Serbian text from Latin to Cyrillic
// script. Serbian is written in both, letter for letter, so the rule is a
// fixed table (Vuk's alphabet and Gaj's Latin alphabet); it is written out
// here because no Go library ships it. The Latin digraphs lj, nj and dž
// become one letter each (ljudi → људи); a word where the two letters are
// separate sounds (nadživeti, injekcija) would come out wrong, so a label
// that needs one should be written in Cyrillic by hand. Characters outside
// the Serbian Latin alphabet (digits, punctuation, other scripts) are kept.
func SerbianCyrillic(latin string) string {
	var b strings.Builder
	b.Grow(len(latin) * 2)
	rs := []rune(latin)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if i+1 < len(rs) {
			if c, ok := serbianDigraphs[string(rs[i:i+2])]; ok {
				b.WriteRune(c)
				i++
				continue
			}
		}
		if c, ok := serbianLetters[r]; ok {
			b.WriteRune(c)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var serbianDigraphs = map[string]rune{
	"lj": 'љ', "Lj": 'Љ', "LJ": 'Љ',
	"nj": 'њ', "Nj": 'Њ', "NJ": 'Њ',
	"dž": 'џ', "Dž": 'Џ', "DŽ": 'Џ',
}

var serbianLetters = map[rune]rune{
	'a': 'а', 'b': 'б', 'c': 'ц', 'č': 'ч', 'ć': 'ћ', 'd': 'д', 'đ': 'ђ', 'e': 'е',
	'f': 'ф', 'g': 'г', 'h': 'х', 'i': 'и', 'j': 'ј', 'k': 'к', 'l': 'л', 'm': 'м',
	'n': 'н', 'o': 'о', 'p': 'п', 'r': 'р', 's': 'с', 'š': 'ш', 't': 'т', 'u': 'у',
	'v': 'в', 'z': 'з', 'ž': 'ж',
	'A': 'А', 'B': 'Б', 'C': 'Ц', 'Č': 'Ч', 'Ć': 'Ћ', 'D': 'Д', 'Đ': 'Ђ', 'E': 'Е',
	'F': 'Ф', 'G': 'Г', 'H': 'Х', 'I': 'И', 'J': 'Ј', 'K': 'К', 'L': 'Л', 'M': 'М',
	'N': 'Н', 'O': 'О', 'P': 'П', 'R': 'Р', 'S': 'С', 'Š': 'Ш', 'T': 'Т', 'U': 'У',
	'V': 'В', 'Z': 'З', 'Ž': 'Ж',
}
