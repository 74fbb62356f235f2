package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadJSON: whatever ReadJSON accepts, every renderer writes in every
// language without failing; what it refuses, it refuses with an error.
func FuzzReadJSON(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	if len(seeds) == 0 {
		f.Fatal("no seeds in testdata (go test -run TestRender -update-testdata writes one)")
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, lang := range []string{"en", "mk"} {
			for _, format := range Formats {
				var buf bytes.Buffer
				if err := Render(&buf, rep, format, RenderOptions{Lang: lang}); err != nil {
					t.Fatalf("%s %s: %v", lang, format, err)
				}
			}
		}
	})
}
