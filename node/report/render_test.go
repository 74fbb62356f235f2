package report

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

var updateTestdata = flag.Bool("update-testdata", false, "write testdata/report.json, the fuzz target's seed, from the hand-made report")

// TestRender: the hand-made report in every format and language: no UI
// text left as its key, the suppressed cell shown as suppressed (never 0)
// with the figure released earlier, numbers as the language writes them,
// and the JSON read back equal to what was written.
func TestRender(t *testing.T) {
	t.Parallel()
	for _, lang := range Languages {
		for _, format := range Formats {
			rep := builtReport(t)
			var buf bytes.Buffer
			if err := Render(&buf, rep, format, RenderOptions{Lang: lang, Evidence: "r.evidence"}); err != nil {
				t.Fatalf("%s %s: %v", lang, format, err)
			}
			out := buf.String()
			if format != JSON && format != CSV && strings.Contains(out, "report.") {
				i := strings.Index(out, "report.")
				t.Errorf("%s %s: a text left as its key: %q", lang, format, out[i:min(len(out), i+50)])
			}
			switch format {
			case CSV:
				if !strings.Contains(out, ",judgments.verdict,") || !strings.Contains(out, ",RS,suppressed,,records,") {
					t.Errorf("%s CSV: the suppressed cell is not there as suppressed with no value:\n%s", lang, out)
				}
			case JSON:
				back, err := ReadJSON(strings.NewReader(out))
				if err != nil {
					t.Fatalf("%s: the JSON does not read back: %v", lang, err)
				}
				var again bytes.Buffer
				if err := Render(&again, back, JSON, RenderOptions{Lang: lang}); err != nil || again.String() != out {
					t.Errorf("%s: the JSON read back writes differently (%v)", lang, err)
				}
				if lang == "en" && *updateTestdata {
					if err := os.WriteFile("testdata/report.json", buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			default:
				if want := sdkText(lang, "report.suppressed"); !strings.Contains(out, want) {
					t.Errorf("%s %s: no cell shown as %q", lang, format, want)
				}
			}
		}
	}
	// Numbers as each language writes them: the Croatian thousands and
	// decimals, the earlier figure with its date.
	rep := builtReport(t)
	var buf bytes.Buffer
	if err := Render(&buf, rep, HTML, RenderOptions{Lang: "hr"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2.500 €", "12.346 €", "2026-02-01", "Hrvatska", "Srbija", "Oslobađajuća presuda"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the Croatian page lacks %q", want)
		}
	}
}

func sdkText(lang, key string) string { return text(lang, uiKey(strings.TrimPrefix(key, "report."))) }

func TestBinLabel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"(-inf,12)": "< 12", "[12,36)": "12–35", "[120,inf)": "≥ 120", "[0.5,1.5)": "0.5–1.5"} {
		if got := binLabel(in); got != want {
			t.Errorf("binLabel(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestNiceMax(t *testing.T) {
	t.Parallel()
	for in, want := range map[float64]float64{57: 80, 100: 100, 5: 8, 0.3: 0.4, 12345: 20000} {
		if got := niceMax(in); got != want {
			t.Errorf("niceMax(%v) = %v; want %v", in, got, want)
		}
	}
}
