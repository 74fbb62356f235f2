package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/report"
	"github.com/kolo-net/kolo/testnet"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newTestnetCmd() *cobra.Command {
	var (
		n             int
		dir, logLevel string
		lang, period  string
		asJSON, exit  bool
		records       int
		seed          uint64
	)
	c := &cobra.Command{
		Use:   "testnet",
		Short: "Run a whole kolo network on this machine, on loopback, ending in the regional report",
		Long: `testnet starts, in one process, partner nodes of the four countries (RS, HR,
BA, MK in turn) and an analyst (an EU partner, FR, invited with the analyst
role), each with its own home under --dir, listening on 127.0.0.1 with free
ports. The first node founds a network, invites the others, which join; every
organisation endorses the Declaration; every partner enters realistic
synthetic records on its country's forms (--records judgments, and trial
hearings, police cases, victim support, legislation and meetings in
proportion; the same --seed gives the same records; testnet/profiles.go
documents the distributions).

Then the analyst asks for the regional comparative report (kolo report) and
testnet writes it to DIR/report.html, with DIR/report.json and the evidence in
DIR/report.evidence, and prints its path and a summary in five lines.

The network keeps running for other commands until Ctrl-C (--exit stops after
the report):
    kolo status --home DIR/node-01
    kolo report --home DIR/node-04 -o report.md --lang sr-Latn
Homes are kept, so running testnet again with the same --dir restarts the same
network with its records, and makes the report again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if n < 1 || n > 100 {
				return fmt.Errorf("--nodes must be 1..100, got %d", n)
			}
			if records < 1 || records > 100_000 {
				return fmt.Errorf("--records must be 1..100000, got %d", records)
			}
			if err := report.CheckLang(lang); err != nil {
				return fmt.Errorf("--lang: %w", err)
			}
			var per *report.Period
			if period != "" {
				p, err := report.ParsePeriod(period)
				if err != nil {
					return fmt.Errorf("--period: %w", err)
				}
				per = p
			}
			if dir == "" {
				d, err := os.MkdirTemp("", "kolo-testnet-")
				if err != nil {
					return err
				}
				dir = d
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			lvl := "warn"
			if logLevel != "" {
				lvl = logLevel
			}
			errw := cmd.ErrOrStderr()
			log := newLogger(errw, loggerConfig(lvl))
			fmt.Fprintf(errw, "starting %d partner nodes and an analyst in %s ...\n", n, abs)
			net, err := testnet.StartRegional(ctx, testnet.RegionalOptions{Dir: abs, Partners: n, Logger: log, Node: node.Options{Version: version},
				Records: testnet.RealisticOptions{Judgments: records, Seed: seed}})
			if err != nil {
				return err
			}
			defer closeTestnet(net.Net)
			out := cmd.OutOrStdout()
			var rows []map[string]any
			for i := range net.Len() {
				st := net.Node(i).Status()
				role := "partner"
				if i == net.Analyst {
					role = "analyst"
				}
				rows = append(rows, map[string]any{"node": i, "home": net.HomeOf(i), "peer_id": st.PeerID, "country": st.Country, "org": st.Org, "api": st.API, "role": role})
				if !asJSON {
					fmt.Fprintf(out, "node %02d  %s  %-2s  %-12s  %-7s  %s  %s\n", i, st.PeerID, st.Country, st.Org, role, st.API, net.HomeOf(i))
				}
			}

			started := time.Now()
			analyst := net.Node(net.Analyst)
			rep, err := analyst.Report(ctx, report.Options{Period: per, Wait: time.Minute, Progress: progressLine(errw)})
			if err != nil {
				return err
			}
			path := filepath.Join(abs, "report.html")
			files, err := report.WriteFile(ctx, path, rep, report.WriteOptions{Lang: lang, Evidence: analyst.Federation().EvidenceFiles})
			if err != nil {
				return err
			}
			if _, err := report.WriteFile(ctx, filepath.Join(abs, "report.json"), rep, report.WriteOptions{Lang: lang,
				EvidenceLink: filepath.Base(report.EvidencePath(path))}); err != nil {
				return err
			}
			fmt.Fprintf(errw, "report made in %s; evidence: %d files in %s\n", time.Since(started).Round(time.Millisecond), files, report.EvidencePath(path))
			summary := report.Summary(rep)
			if asJSON {
				if err := printJSON(out, map[string]any{"dir": abs, "nodes": rows, "report": path, "summary": summary}); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(out, "report: %s\n", path)
				for _, line := range summary {
					fmt.Fprintf(out, "  %s\n", line)
				}
			}
			if exit {
				return nil
			}
			fmt.Fprintf(out, "ready nodes=%d dir=%s\n", net.Len(), abs)
			fmt.Fprintf(errw, "try: kolo report --home %s -o report.md   (Ctrl-C stops the network; homes are kept)\n", strings.TrimSpace(net.HomeOf(net.Analyst)))
			<-ctx.Done()
			return nil
		},
	}
	c.Flags().IntVar(&n, "nodes", len(testnet.PartnerCountries), "partner nodes (1..100), of RS, HR, BA and MK in turn; an analyst node is added")
	c.Flags().StringVar(&dir, "dir", "", "directory for the nodes' homes and the report (default: a new temporary directory)")
	c.Flags().StringVar(&logLevel, "log-level", "", "log level of all nodes: debug, info, warn, error (default warn)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the nodes, the report's path and its summary as JSON")
	c.Flags().IntVar(&records, "records", testnet.DefaultJudgments, "judgments each partner enters; the other kinds of records follow in proportion")
	c.Flags().Uint64Var(&seed, "seed", 1, "seed of the synthetic records: the same seed gives the same records")
	c.Flags().StringVar(&lang, "lang", "en", "language of the report: en, sr-Latn, sr-Cyrl, hr, bs, mk")
	c.Flags().StringVar(&period, "period", "", "the records' event dates the report covers, FROM..TO (default: every record)")
	c.Flags().BoolVar(&exit, "exit", false, "stop after the report (for scripts and CI)")
	return c
}

// progressLine returns a report's progress callback that keeps one line
// up to date on a terminal, and writes nothing elsewhere.
func progressLine(w io.Writer) func(report.Progress) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(p report.Progress) {
		fmt.Fprintf(w, "\rreport: %d of %d queries asked, %d answered", p.Asked, p.Queries, p.Answered)
		if p.Answered == p.Queries {
			fmt.Fprintln(w)
		}
	}
}

func closeTestnet(net *testnet.Net) {
	ctx, cancel := contextWithTimeout(shutdownTimeout)
	defer cancel()
	net.Close(ctx)
}
