package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"
)

var reportMade = regexp.MustCompile(`report made in ([0-9.]+[a-zµ]+)`)

// BenchmarkTestnetExit measures `kolo testnet --exit` with its defaults,
// as a process, from its start until it exits after writing the report:
// four partner nodes and an analyst started (each with its form plugins'
// process), the network formed, the Declaration endorsed, 100 judgments
// and the other kinds of records entered per partner, the 37 queries of
// the report asked and answered, the report and its evidence written.
// The build is not timed (the test binary is kolo). report-ms is the
// report alone, as the command prints it.
//
//	go test ./cmd/kolo -run '^$' -bench TestnetExit -benchtime 5x
func BenchmarkTestnetExit(b *testing.B) {
	var reports []time.Duration
	for i := 0; b.Loop(); i++ {
		dir := filepath.Join(b.TempDir(), "net")
		cmd := exec.Command("kolo", "testnet", "--exit", "--dir", dir)
		cmd.Env = cleanEnv()
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("kolo testnet --exit: %v\n%s", err, out)
		}
		m := reportMade.FindSubmatch(out)
		if m == nil {
			b.Fatalf("no report line:\n%s", out)
		}
		d, err := time.ParseDuration(string(m[1]))
		if err != nil {
			b.Fatal(err)
		}
		reports = append(reports, d)
	}
	slices.Sort(reports)
	b.ReportMetric(float64(reports[len(reports)/2].Microseconds())/1000, "report-ms")
}
