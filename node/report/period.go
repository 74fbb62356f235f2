package report

import (
	"fmt"
	"strings"
	"time"
)

// Period is the range of event dates a report covers, both ends
// included, as YYYY-MM-DD.
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ParsePeriod reads a period written FROM..TO, each end a month
// (2015-01), a day (2015-01-15) or a year (2015): "2015-01..2016-12" is
// 2015-01-01 to 2016-12-31.
func ParsePeriod(s string) (*Period, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "..")
	if !ok {
		return nil, fmt.Errorf("period %q: write FROM..TO, as in 2015-01..2016-12 (months), 2015-01-01..2016-12-31 (days) or 2015..2016 (years)", s)
	}
	f, err := periodEnd(from, false)
	if err != nil {
		return nil, fmt.Errorf("period %q: %w", s, err)
	}
	t, err := periodEnd(to, true)
	if err != nil {
		return nil, fmt.Errorf("period %q: %w", s, err)
	}
	if t.Before(f) {
		return nil, fmt.Errorf("period %q: it ends (%s) before it starts (%s)", s, t.Format(time.DateOnly), f.Format(time.DateOnly))
	}
	return &Period{From: f.Format(time.DateOnly), To: t.Format(time.DateOnly)}, nil
}

// periodEnd reads one end of a period: its first day, or its last when
// end is set.
func periodEnd(s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{time.DateOnly, func(t time.Time) time.Time { return t }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, -1) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, -1) }},
	} {
		if len(s) != len(f.layout) {
			continue
		}
		t, err := time.Parse(f.layout, s)
		if err != nil {
			break
		}
		if t.Year() < 1900 {
			return time.Time{}, fmt.Errorf("%q is before 1900", s)
		}
		if end {
			t = f.next(t)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a year (2015), a month (2015-01) or a day (2015-01-31)", s)
}

// String writes p as FROM..TO.
func (p *Period) String() string {
	if p == nil {
		return ""
	}
	return p.From + ".." + p.To
}
