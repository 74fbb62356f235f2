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

	"github.com/kolo-net/kolo/protocol"
)

// The texts: text/<version>/<language>.md. The English file of a version
// is the original; its SHA-256 is the Declaration's identity. To add a
// translation, add text/<version>/<language tag>.md (for example
// sr-Latn.md, sr-Cyrl.md, hr.md, bs.md, mk.md, sq.md), keeping the
// structure of the English text; translations are informative and never
// change the identity. A new wording is a new version directory.
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

// Lookup returns the text of version in language.
func Lookup(version, language string) (Text, error) {
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

// Languages lists the languages version ships in.
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
	sort.Strings(out)
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
