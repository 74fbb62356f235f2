package report

import (
	"fmt"
	"math"
)

// The charts are SVG drawn here, by hand, rather than with
// gonum.org/v1/plot: plot draws text with its own fonts' metrics (or
// embeds the fonts), so Cyrillic labels in a browser's font would not
// line up without megabytes of embedded fonts, and it writes paths with
// no link to the datum they show. A report needs every mark tied to its
// cell (a title a reader hovers, data attributes the Chromium test
// counts), a suppressed cell drawn as suppressed rather than as a bar of
// zero, and colours and sizes a print style sheet can change. Horizontal
// bars on a linear scale are all the report draws: a few dozen lines.

// chart is the geometry of one figure's bar chart, in SVG user units.
type chart struct {
	ID            string
	Width, Height float64
	Title         string
	Legend        []legendItem
	Ticks         []tick
	Groups        []groupLabel
	Marks         []mark
	PlotX, PlotW  float64
	AxisY         float64
}

type legendItem struct {
	X, Y  float64
	Color string
	Label string
}

type tick struct {
	X     float64
	Label string
}

type groupLabel struct {
	Y            float64
	Label, Short string // Short fits the chart; Label is its title
}

// short cuts a label to fit beside the bars.
func short(s string) string {
	r := []rune(s)
	if len(r) <= 30 {
		return s
	}
	return string(r[:29]) + "…"
}

// mark is one cell of the figure: a bar (value, zero), a hatched box
// (suppressed) or a word (no records, no answer), with its value label.
type mark struct {
	X, Y, W, H     float64
	Shape          string // "rect" or "text"
	State, Color   string
	Country, Row   string
	Value          string // data-value: the figure, "" when none
	Title          string
	LabelX, LabelY float64
	Label          string
}

// palette is Okabe and Ito's, which readers with colour-vision
// deficiencies tell apart, one colour per country column.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933", "#000000"}

func countryColor(i int) string { return palette[i%len(palette)] }

const (
	chartWidth = 640.0
	labelWidth = 180.0
	valueRoom  = 110.0
	barHeight  = 11.0
	barGap     = 3.0
	groupGap   = 10.0
	axisRoom   = 22.0
)

// newChart lays out figure f of report r in lang.
func newChart(r *Report, f Figure, lang string) chart {
	n := numbersIn(lang)
	c := chart{ID: "chart-" + anchor(f.ID), Width: chartWidth, Title: f.Title}
	c.PlotX = labelWidth + 8
	c.PlotW = chartWidth - c.PlotX - valueRoom
	top := 6.0
	single := f.RowsBy == "" && len(f.Rows) == 1
	if !single && len(r.Countries) > 1 {
		x := c.PlotX
		for i, ct := range r.Countries {
			c.Legend = append(c.Legend, legendItem{X: x, Y: 10, Color: countryColor(i), Label: ct.Name})
			x += 28 + 6.2*float64(len([]rune(ct.Name)))
		}
		top = 24
	}
	top0 := top
	hi := 0.0
	for _, row := range f.Rows {
		for _, cell := range row.Cells {
			if cell.Value != nil {
				hi = max(hi, *cell.Value)
			}
		}
	}
	if f.Unit == "share" || hi == 0 {
		hi = max(hi, 1)
	} else {
		hi = niceMax(hi)
	}
	scale := func(v float64) float64 { return c.PlotW * v / hi }
	y := top
	for _, row := range f.Rows {
		if !single {
			c.Groups = append(c.Groups, groupLabel{Y: y + barHeight, Label: row.Label, Short: short(row.Label)})
		}
		for i, cell := range row.Cells {
			ct := r.Countries[i]
			m := mark{X: c.PlotX, Y: y, H: barHeight, Shape: "rect", State: cell.State, Color: countryColor(i),
				Country: ct.Code, Row: row.Key, LabelY: y + barHeight - 2}
			if single {
				c.Groups = append(c.Groups, groupLabel{Y: y + barHeight, Label: ct.Name, Short: short(ct.Name)})
			}
			m.Label = cellText(lang, n, f, cell)
			m.Title = ct.Name
			if !single {
				m.Title += ", " + row.Label
			}
			m.Title += ": " + m.Label
			if note := cellNote(lang, n, f, cell); note != "" {
				m.Title += " (" + note + ")"
			}
			switch cell.State {
			case CellValue, CellZero:
				m.W = scale(*cell.Value)
				if *cell.Value > 0 {
					m.W = max(m.W, 1)
				}
				m.Value = fmt.Sprint(*cell.Value)
			case CellSuppressed:
				m.W = math.Min(60, c.PlotW)
				m.Color = "url(#hatch-" + c.ID + ")"
			default:
				m.Shape = "text"
			}
			m.LabelX = c.PlotX + m.W + 4
			c.Marks = append(c.Marks, m)
			y += barHeight + barGap
		}
		y += groupGap - barGap
	}
	c.AxisY = y
	for _, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.Ticks = append(c.Ticks, tick{X: c.PlotX + q*c.PlotW, Label: n.value(f, q*hi)})
	}
	c.Height = y + axisRoom
	if len(f.Rows) == 0 {
		c.Height = top0 + axisRoom
	}
	return c
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
