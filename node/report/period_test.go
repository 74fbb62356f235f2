package report

import (
	"strings"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, from, to, err string }{
		{in: "2015-01..2016-12", from: "2015-01-01", to: "2016-12-31"},
		{in: "2016-02..2016-02", from: "2016-02-01", to: "2016-02-29"},
		{in: "2015..2016", from: "2015-01-01", to: "2016-12-31"},
		{in: " 2015-01-15..2015-02-01 ", from: "2015-01-15", to: "2015-02-01"},
		{in: "2015-06..2015", from: "2015-06-01", to: "2015-12-31"},
		{in: "2015-01", err: "write FROM..TO"},
		{in: "2015-13..2016-01", err: `"2015-13" is not a year`},
		{in: "2016..2015", err: "ends (2015-12-31) before it starts (2016-01-01)"},
		{in: "1850..1900", err: "before 1900"},
		{in: "jan..feb", err: `"jan" is not a year`},
	} {
		p, err := ParsePeriod(c.in)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParsePeriod(%q) = %v, %v; want an error with %q", c.in, p, err, c.err)
		case c.err == "" && (err != nil || p.From != c.from || p.To != c.to):
			t.Errorf("ParsePeriod(%q) = %v, %v; want %s..%s", c.in, p, err, c.from, c.to)
		}
	}
}
