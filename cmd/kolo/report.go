package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/report"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newReportCmd(g *globals) *cobra.Command {
	var (
		out, format, period, lang, from string
		wait                            time.Duration
	)
	c := &cobra.Command{
		Use:   "report -o FILE",
		Short: "Ask the network for the regional comparative report and write it",
		Long: `report asks the network the regional report's fixed set of federated queries
(docs/report.md lists each with its text), waits for the members' answers and
writes the report country by country: judgments, verdicts, offences, sentences,
court efficiency, compensation, assets, victims' rights, police cases, victim
support, legislation, meetings with public authorities, the Declaration's
endorsements and the strategy's targets.

Every figure says its coverage (members answered, cells suppressed, noise);
a suppressed cell is shown as suppressed, never as zero. Beside FILE, the
folder FILE's name with .evidence holds the bytes every member sent (sealed
answers, signed strings, signatures, public keys): docs/query.md says how to
check a figure with age and OpenSSL, without kolo.

  kolo report -o report.html
  kolo report -o report.md --lang sr-Latn --period 2015-01..2016-12
  kolo report -o report.json                  # the same figures, for programs
  kolo report --from report.json -o izvjestaj.html --lang bs   # again, without asking

A report asks ` + strconv.Itoa(len(report.Catalogue())) + ` queries; a member answers 200 a day from one member by
default (query.max_per_day): write it again in another format or language
with --from rather than asking again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return errors.New("give the file to write with -o FILE (report.html, report.md, report.csv or report.json)")
			}
			if format == "" {
				if format = report.FormatOf(out); format == "" {
					format = report.HTML
				}
			}
			if err := report.CheckLang(lang); err != nil {
				return fmt.Errorf("--lang: %w", err)
			}
			ctx := cmd.Context()
			var rep *report.Report
			opts := report.WriteOptions{Format: format, Lang: lang}
			if from != "" {
				if period != "" || cmd.Flags().Changed("wait") {
					return errors.New("--from writes a report already made: --period and --wait do not apply")
				}
				f, err := os.Open(from)
				if err != nil {
					return fmt.Errorf("--from: %w", err)
				}
				rep, err = report.ReadJSON(f)
				f.Close()
				if err != nil {
					return fmt.Errorf("--from %s: %w", from, err)
				}
				if dir := report.EvidencePath(from); isDir(dir) {
					if rel, err := filepath.Rel(filepath.Dir(out), dir); err == nil {
						opts.EvidenceLink = filepath.ToSlash(rel)
					}
				}
			} else {
				if period != "" {
					if _, err := report.ParsePeriod(period); err != nil {
						return fmt.Errorf("--period: %w", err)
					}
				}
				var err error
				if rep, err = g.askReport(ctx, cmd.ErrOrStderr(), period, wait); err != nil {
					return err
				}
				opts.Evidence = func(ctx context.Context, id string) ([]federation.EvidenceFile, error) {
					var files []federation.EvidenceFile
					err := g.call(ctx, http.MethodGet, "/v1/queries/"+url.PathEscape(id)+"/evidence", nil, &files)
					return files, err
				}
			}
			n, err := report.WriteFile(ctx, out, rep, opts)
			if err != nil {
				return err
			}
			if opts.Evidence != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "evidence: %d files in %s\n", n, report.EvidencePath(out))
			}
			for _, line := range report.Summary(rep) {
				fmt.Fprintln(cmd.ErrOrStderr(), "  "+line)
			}
			fmt.Fprintln(cmd.OutOrStdout(), out)
			return nil
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "the file to write")
	c.Flags().StringVar(&format, "format", "", "html, md, csv or json (default: from the file's extension, else html)")
	c.Flags().StringVar(&period, "period", "", "the records' event dates to cover, FROM..TO: 2015-01..2016-12 (default: every record)")
	c.Flags().DurationVar(&wait, "wait", federation.DefaultWait, "how long the queries stay open and the report waits for the members' answers")
	c.Flags().StringVar(&lang, "lang", "en", "language of the labels: en, sr-Latn, sr-Cyrl, hr, bs, mk")
	c.Flags().StringVar(&from, "from", "", "write the report in REPORT.json again (another format or language) without asking the network")
	return c
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// askReport starts a report on the daemon and waits for it, with a
// progress line on a terminal.
func (g *globals) askReport(ctx context.Context, progress io.Writer, period string, wait time.Duration) (*report.Report, error) {
	var started struct {
		ID string `json:"id"`
	}
	if err := g.call(ctx, http.MethodPost, "/v1/reports", map[string]string{"period": period, "wait": wait.String()}, &started); err != nil {
		return nil, err
	}
	tty := false
	if f, ok := progress.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	for {
		var st report.JobState
		if err := g.call(ctx, http.MethodGet, "/v1/reports/"+url.PathEscape(started.ID)+"?wait=2s", nil, &st); err != nil {
			return nil, err
		}
		if tty {
			p := st.Progress
			fmt.Fprintf(progress, "\rqueries: %d of %d asked, %d answered", p.Asked, p.Queries, p.Answered)
			if st.Done {
				fmt.Fprintln(progress)
			}
		}
		switch {
		case st.Done && st.Error != "":
			return nil, errors.New(st.Error)
		case st.Done && st.Report == nil:
			return nil, errors.New("the node finished the report without one")
		case st.Done:
			return st.Report, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}
