package testnet

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/report"
)

// startRegional starts a regional network for a test: partner nodes with
// realistic records and an analyst.
func startRegional(ctx context.Context, t *testing.T, o RegionalOptions) *Regional {
	t.Helper()
	logs := &logBuffer{}
	o.Dir = t.TempDir()
	o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	r, err := StartRegional(ctx, o)
	if err != nil {
		t.Fatalf("%v\nthe nodes' logs:\n%s", err, logs)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the nodes' logs:\n%s", logs.String())
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			t.Errorf("close testnet: %v", err)
		}
	})
	return r
}

// TestRegionalReport: four partners (RS, HR, BA, MK) with realistic
// records and an analyst (FR, analyst role) that asks for the regional
// report over a period. In each of the four formats, every figure the
// report shows equals the figure computed by hand from the generator's
// ground truth; a cell shown as suppressed, or as holding no records,
// is one the ground truth has records in, or none; and every cell of the
// ground truth is in the report.
func TestRegionalReport(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	r := startRegional(ctx, t, RegionalOptions{Records: RealisticOptions{Judgments: 100, Seed: 7}})
	period := &report.Period{From: "2015-01-01", To: "2016-06-30"}
	rep, err := r.Node(r.Analyst).Report(ctx, report.Options{Period: period, Wait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rep.Countries); got != 4 {
		t.Fatalf("the report's columns are %+v; want the four partners' countries (not the analyst's)", rep.Countries)
	}

	render := func(format string) []byte {
		var buf bytes.Buffer
		if err := report.Render(&buf, rep, format, report.RenderOptions{Lang: "en"}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		return buf.Bytes()
	}
	js := render(report.JSON)
	back, err := report.ReadJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatalf("the report's JSON does not read back: %v", err)
	}
	l := labelsOf(back)
	formats := map[string]seenFigures{
		"json":     fromModel(back),
		"csv":      fromCSV(t, render(report.CSV)),
		"html":     fromHTML(t, render(report.HTML), l),
		"markdown": fromMarkdown(t, render(report.Markdown), l),
	}
	suppressed := 0
	for _, s := range report.Catalogue() {
		want, q := expected(t, s, period, r.Truth)
		f, ok := back.Figure(s.ID)
		if !ok {
			t.Fatalf("figure %s is not in the report", s.ID)
		}
		for name, seen := range formats {
			equal := compareFigure(t, name, s, q, f.Unit, want, seen[s.ID])
			if name == "html" {
				equal += compareFigure(t, "html chart", s, q, f.Unit, want, seen[s.ID+"#chart"])
			}
			if equal == 0 && name == "json" {
				t.Errorf("figure %s: no figure released at all", s.ID)
			}
		}
		for _, row := range f.Rows {
			for _, c := range row.Cells {
				if c.State == report.CellSuppressed {
					suppressed++
				}
			}
		}
	}
	t.Logf("%d figures of %d queries checked in four formats; %d cells suppressed", len(formats["json"]), len(rep.Queries), suppressed)
	if suppressed == 0 {
		t.Error("no cell was suppressed: the test would not see a suppressed cell taken for zero")
	}

	// The HTML file, with its evidence beside it, in Chromium.
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	n, err := report.WriteEvidence(ctx, report.EvidencePath(file), back, r.Node(r.Analyst).Federation().EvidenceFiles)
	if err != nil || n < 5*len(back.Queries) {
		t.Fatalf("evidence: %d files, %v; want at least the query and four files per member for each of %d queries", n, err, len(back.Queries))
	}
	var page bytes.Buffer
	if err := report.Render(&page, back, report.HTML, report.RenderOptions{Lang: "en", Evidence: filepath.Base(report.EvidencePath(file))}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	checkInChromium(t, file, back, screenshotPath(t))

	// The other languages: every format renders, with no UI key left
	// untranslated.
	for _, lang := range report.Languages[1:] {
		for _, format := range report.Formats {
			var buf bytes.Buffer
			if err := report.Render(&buf, back, format, report.RenderOptions{Lang: lang}); err != nil {
				t.Fatalf("%s %s: %v", lang, format, err)
			}
			if i := strings.Index(buf.String(), "report."); i >= 0 && format != report.CSV && format != report.JSON {
				t.Errorf("%s %s: an untranslated text: %q", lang, format, buf.String()[i:min(len(buf.String()), i+60)])
			}
		}
	}
}
