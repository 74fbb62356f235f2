package ui

import (
	"fmt"
	"net/http"
	"slices"

	"golang.org/x/text/language"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// langCookie keeps a browser's language for a year.
const langCookie = "kolo_lang"

// Language is one language of the interface, named in itself.
type Language struct {
	Tag  string // BCP 47, as the forms' labels key it
	Name string
}

// languageNames name each language in itself, as a language switcher
// shows them.
var languageNames = map[string]string{
	"en":      "English",
	"sr-Latn": "Srpski (latinica)",
	"sr-Cyrl": "Српски (ћирилица)",
	"hr":      "Hrvatski",
	"bs":      "Bosanski",
	"mk":      "Македонски",
	"sq":      "Shqip",
}

// languages are the interface's languages: the network's six, and
// Albanian when a form served carries Albanian labels (the example AL
// plugin does); the interface's own words are then in English.
func languages(forms []sdk.FormInfo) []Language {
	tags := slices.Clone(sdk.Languages)
	for _, fi := range forms {
		if _, ok := fi.Title["sq"]; ok {
			tags = append(tags, "sq")
			break
		}
	}
	out := make([]Language, len(tags))
	for i, t := range tags {
		name, ok := languageNames[t]
		if !ok {
			name = t
		}
		out[i] = Language{Tag: t, Name: name}
	}
	return out
}

// matcher picks one of the network's languages from Accept-Language.
// Plain "sr" is Serbian in Cyrillic, as CLDR and Serbian browsers have it.
var matcher = language.NewMatcher([]language.Tag{
	language.English, language.MustParse("sr-Latn"), language.MustParse("sr-Cyrl"),
	language.Croatian, language.MustParse("bs"), language.Macedonian, language.Albanian,
})

// matchTags are matcher's tags as the catalogue keys them, in its order.
var matchTags = []string{"en", "sr-Latn", "sr-Cyrl", "hr", "bs", "mk", "sq"}

// fromAcceptLanguage picks a language from an Accept-Language header.
func fromAcceptLanguage(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	return matchTags[i]
}

// knownLanguage reports whether tag is one of the interface's languages.
func knownLanguage(tag string) bool {
	_, ok := languageNames[tag]
	return ok
}

// langOf picks the language of a request: the session's choice, then the
// browser's cookie, then its Accept-Language.
func (s *Server) langOf(r *http.Request, se *session) string {
	if se != nil {
		if l := s.sessions.langOf(se); l != "" {
			return l
		}
	}
	if c, err := r.Cookie(langCookie); err == nil && knownLanguage(c.Value) {
		return c.Value
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// T translates a key of the interface's catalogue into lang.
func T(lang, key string) string { return sdk.UIText(lang, sdk.UIKey(key)) }

// Tf translates a key whose text holds fmt verbs, and fills them.
func Tf(lang, key string, args ...any) string { return fmt.Sprintf(T(lang, key), args...) }

// errUnknownLanguage refuses a language the interface does not offer.
var errUnknownLanguage = fmt.Errorf("unknown language: choose one of en, sr-Latn, sr-Cyrl, hr, bs, mk, sq")
