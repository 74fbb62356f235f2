package records

import (
	"testing"
	"time"
)

// cpuMeter adds up the CPU time (user and system) that this process and
// its child processes (the plugin processes the shared host started) spend
// between start and stop, so that a benchmark can report CPU per row: on a
// machine shared with other work, wall-clock throughput moves with the
// load, CPU time far less.
type cpuMeter struct {
	total time.Duration
	mark  time.Duration
}

func (m *cpuMeter) start(b *testing.B) { m.mark = cpuTime(b) }

func (m *cpuMeter) stop(b *testing.B) { m.total += cpuTime(b) - m.mark }

// report adds the metric "cpu-µs/row": CPU time per row, both processes
// (where the system tells: Linux).
func (m *cpuMeter) report(b *testing.B, rows int) {
	if m.mark >= 0 {
		b.ReportMetric(float64(m.total.Microseconds())/float64(rows), "cpu-µs/row")
	}
}
