package ui

import "testing"

// TestSafeNext: the language switcher goes back only to a page of the
// interface, never to another site.
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/ui/records?kind=judgment": "/ui/records?kind=judgment",
		"/ui/":                      "/ui/",
		"":                          "/ui/",
		"https://evil.example/ui/":  "/ui/",
		"//evil.example/ui/":        "/ui/",
		"/ui/\\evil":                "/ui/",
		"/ui/../v1/status":          "/ui/",
		"/v1/status":                "/ui/",
		"/ui/x\r\nSet-Cookie: a=b":  "/ui/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFromAcceptLanguage: a browser's languages choose one of the
// interface's, Serbian in its script, anything else English.
func TestFromAcceptLanguage(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]string{
		"sr-Latn-RS,sr;q=0.8": "sr-Latn",
		"sr-RS":               "sr-Cyrl",
		"sr":                  "sr-Cyrl",
		"hr-HR,en;q=0.5":      "hr",
		"bs":                  "bs",
		"mk-MK":               "mk",
		"sq-AL":               "sq",
		"de-DE,fr;q=0.9":      "en",
		"":                    "en",
		"not a header;;;":     "en",
	} {
		if got := fromAcceptLanguage(header); got != want {
			t.Errorf("%q: %s, want %s", header, got, want)
		}
	}
}
