package declaration

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	xlanguage "golang.org/x/text/language"

	"github.com/kolo-net/kolo/protocol"
)

// The texts: text/<version>/<language>.md. The English file of a version
// is the original; its SHA-256 is the Declaration's identity. v1 ships in
// Serbian (sr-Latn, sr-Cyrl), Croatian (hr), Bosnian (bs) and Macedonian
// (mk) too. To add a translation, add text/<version>/<language tag>.md
// (sq.md, say), keeping the structure of the English text and opening with
// a quoted note, in the translation's language, that it is a translation
// and not the signed text, naming the original's SHA-256 (TestTranslations
// checks both). Translations are informative and never change the
// identity. A new wording is a new version directory.
//
//go:embed text
var texts embed.FS

// CurrentVersion is the version new networks endorse.
const CurrentVersion = "v1"

// Original is the language whose text is the identity.
const Original = "en"

// Text is one language of one version of the Declaration.
type Text struct {
	Version  string
	Language string
	Markdown string
	SHA256   string // of Markdown
	// Identity is the SHA-256 of the English original of this version:
	// what networks and endorsements name.
	Identity string
}

// Current returns the English text of the current version.
func Current() Text {
	t, err := Lookup(CurrentVersion, Original)
	if err != nil {
		panic(err) // the embedded file is part of the build
	}
	return t
}

// IsTranslation says whether t is a translation of the original: what is
// signed is always the original.
func (t Text) IsTranslation() bool { return t.Language != Original }

// Lookup returns the text of version in lang, a BCP 47 tag in any case
// (sr-latn is sr-Latn).
func Lookup(version, lang string) (Text, error) {
	language := CanonicalTag(lang)
	read := func(lang string) (string, error) {
		b, err := texts.ReadFile(path.Join("text", version, lang+".md"))
		if err != nil {
			return "", fmt.Errorf("declaration %s in %q: not shipped with this kolo (languages: %s)", version, lang, strings.Join(Languages(version), ", "))
		}
		return string(b), nil
	}
	orig, err := read(Original)
	if err != nil {
		return Text{}, err
	}
	md := orig
	if language != Original {
		if md, err = read(language); err != nil {
			return Text{}, err
		}
	}
	return Text{Version: version, Language: language, Markdown: md, SHA256: sum(md), Identity: sum(orig)}, nil
}

// CanonicalTag writes a BCP 47 tag as the file names do (sr-Latn, mk);
// a tag that does not parse is kept for the error message.
func CanonicalTag(lang string) string {
	tag, err := xlanguage.Parse(strings.TrimSpace(lang))
	if err != nil {
		return lang
	}
	return tag.String()
}

// Languages lists the languages version ships in, the original first.
func Languages(version string) []string {
	entries, err := fs.ReadDir(texts, path.Join("text", version))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".md"); ok {
			out = append(out, name)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i] == Original) != (out[j] == Original) {
			return out[i] == Original
		}
		return out[i] < out[j]
	})
	return out
}

// Ref returns the Declaration as the network file carries it. Only the
// original can be a network's Declaration.
func (t Text) Ref() protocol.Declaration {
	return protocol.Declaration{Version: t.Version, Language: t.Language, SHA256: t.SHA256, Text: t.Markdown}
}

// Title returns the first Markdown heading of a text.
func Title(markdown string) string {
	for _, line := range strings.Split(markdown, "\n") {
		if title, ok := strings.CutPrefix(line, "# "); ok {
			return strings.TrimSpace(title)
		}
	}
	return "Declaration"
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
