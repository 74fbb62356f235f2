package ui

import (
	"math"
	"strings"

	xmessage "golang.org/x/text/message"

	"github.com/kolo-net/kolo/node/query"
)

// The answer's chart: horizontal bars drawn as SVG here, on the server,
// so the page needs no script. node/report's renderer (svg.go) lays out
// a report's figures, rows by countries, and is not exported; a query's
// answer is one value per cell, and these few lines draw it the same
// way: every mark tied to its cell (data-state, data-value, a <title>),
// a suppressed cell as a hatched box marked "suppressed" rather than a
// bar of zero, a cell with nothing to compute over as a dash.

// chartView is the geometry of a chart, in SVG user units.
type chartView struct {
	Width, Height float64
	PlotX, PlotW  float64
	AxisY         float64
	// TickEnd and TickLabelY place the axis's ticks and their labels.
	TickEnd, TickLabelY float64
	Marks               []chartMark
	Ticks               []chartTick
	// Shown is how many cells the chart draws; Cut is set when the table
	// has more (the chart stops at maxChartCells).
	Shown int
	Cut   bool
}

// chartMark is one cell: a bar, a hatched box or a dash.
type chartMark struct {
	Y, W, H         float64
	State           string // value, suppressed, none
	Value           string // data-value: the figure, "" when none
	Label, Short    string // the cell's groups, whole and cut to fit
	Text            string // the value as the table writes it
	TextX, TextY    float64
	LabelY          float64
	SuppressedWidth float64
}

type chartTick struct {
	X     float64
	Label string
}

const (
	chartWidth     = 640.0
	chartLabelRoom = 190.0
	chartValueRoom = 120.0
	chartBar       = 16.0
	chartGap       = 6.0
	chartAxisRoom  = 24.0
	maxChartCells  = 120
	// suppressedWidth is the hatched box of a suppressed cell: wide
	// enough to see, with no length that could be read as a value.
	suppressedWidth = 36.0
)

// newChart lays out the chart of an answer's rows.
func newChart(lang string, p *xmessage.Printer, rows []answerRow, c *query.Combined) chartView {
	v := chartView{Width: chartWidth, PlotX: chartLabelRoom + 8}
	v.PlotW = chartWidth - v.PlotX - chartValueRoom
	hi := 0.0
	for _, r := range rows {
		if r.State == "value" {
			hi = math.Max(hi, r.num)
		}
	}
	if c.Unit == "" || hi == 0 {
		hi = math.Max(hi, 1) // a share's axis goes to 100 %
	} else {
		hi = niceMax(hi)
	}
	y := 4.0
	for i, r := range rows {
		if i == maxChartCells {
			v.Cut = true
			break
		}
		label := strings.Join(r.Groups, " · ")
		if label == "" {
			label = T(lang, "ui.an.all_records")
		}
		m := chartMark{Y: y, H: chartBar, State: r.State, Label: label, Short: cut(label, 30), Text: r.Value,
			TextY: y + chartBar - 4, LabelY: y + chartBar - 4}
		switch r.State {
		case "value":
			m.Value = r.Raw
			m.W = math.Max(0, v.PlotW*r.num/hi)
		case "suppressed":
			m.W = suppressedWidth
		}
		m.TextX = v.PlotX + m.W + 4
		v.Marks = append(v.Marks, m)
		y += chartBar + chartGap
	}
	v.Shown = len(v.Marks)
	v.AxisY, v.TickEnd, v.TickLabelY = y, y+4, y+17
	for _, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
		v.Ticks = append(v.Ticks, chartTick{X: v.PlotX + q*v.PlotW, Label: figure(p, c.Aggregate, c.Unit, q*hi)})
	}
	v.Height = y + chartAxisRoom
	return v
}

// niceMax rounds the largest value up to four steps of 1, 2, 2.5 or 5
// times a power of ten, so the axis's ticks are round numbers.
func niceMax(hi float64) float64 {
	step := hi / 4
	p := math.Pow(10, math.Floor(math.Log10(step)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= step {
			return 4 * m * p
		}
	}
	return hi
}

// cut shortens a label to n characters.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
