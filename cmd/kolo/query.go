package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/protocol"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// queryOutput are the output flags shared by query and query status.
type queryOutput struct {
	asJSON, asCSV bool
	evidence      string
}

func (o *queryOutput) flags(c *cobra.Command) {
	c.Flags().BoolVar(&o.asJSON, "json", false, "print the answer, its coverage and every node's part as JSON")
	c.Flags().BoolVar(&o.asCSV, "csv", false, "print the figures as CSV, one row per cell (long format)")
	c.Flags().StringVar(&o.evidence, "evidence", "", "write every answer's received bytes (age file, signed text, signature, public key) to DIR")
}

func (o *queryOutput) check() error {
	if o.asJSON && o.asCSV {
		return errors.New("give --json or --csv, not both")
	}
	return nil
}

func newQueryCmd(g *globals) *cobra.Command {
	var (
		out     queryOutput
		wait    time.Duration
		timeout time.Duration
		epsilon float64
	)
	c := &cobra.Command{
		Use:   "query 'AGGREGATE KIND [by GROUPS] [where FILTER] [between DATE and DATE]'",
		Short: "Ask the network for an aggregate: every member answers from its own records",
		Long: `query asks every member of the network for an aggregate over the common
indicators of their records, and prints the combined figures with their
coverage: which members answered, which refused and why, which had not
answered, which cells were suppressed where, and the noise if any.

  kolo query 'count judgment by country, year where verdict = convicted'
  kolo query 'mean(sentence_months) judgment by country where offence in (thb, thb_child)'
  kolo query 'share(compensation_claimed) judgment by country between 2015-01-01 and 2016-12-31'
  kolo query 'median(proceedings_days) judgment by country, court_level'
  kolo query 'histogram(sentence_months; 0, 12, 36, 60, 120) judgment by country'

docs/query.md has the grammar and what each aggregate means. A query that does
not parse, names a personal or free-text field, or is too large is refused
before anything is sent. Each member checks that you may ask, evaluates the
query over its own records, protects the result (cells of fewer than k records
suppressed, and more: docs/privacy.md), seals it with age to this node and
signs it. No record leaves any node.

The query stays open for --wait: a member offline now answers if it comes
back before then. This command waits for the answers until every member has
answered, the query closes, or --timeout passes, then prints what came; kolo
query status ID shows the answers that come later.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check(); err != nil {
				return err
			}
			if timeout == 0 {
				timeout = min(wait, 2*time.Minute)
			}
			in := map[string]any{"text": args[0], "wait": wait.String()}
			if epsilon > 0 {
				in["epsilon"] = epsilon
			}
			var q protocol.Query
			if err := g.call(cmd.Context(), http.MethodPost, "/v1/queries", in, &q); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "query %s asked; open until %s\n", q.ID, q.Expires)
			st, err := g.waitQuery(cmd.Context(), cmd.ErrOrStderr(), q.ID, timeout)
			if err != nil {
				return err
			}
			return out.print(cmd.Context(), g, cmd.OutOrStdout(), cmd.ErrOrStderr(), st)
		},
	}
	out.flags(c)
	c.Flags().DurationVar(&wait, "wait", federation.DefaultWait, "how long the query stays open, so members offline now answer when they come back (up to 168h)")
	c.Flags().DurationVar(&timeout, "timeout", 0, "how long this command waits for answers (default: --wait, at most 2m)")
	c.Flags().Float64Var(&epsilon, "epsilon", 0, "ask for discrete Laplace noise with this privacy loss ε (members whose policy allows it)")
	c.AddCommand(newQueryListCmd(g), newQueryStatusCmd(g))
	return c
}

func newQueryStatusCmd(g *globals) *cobra.Command {
	var out queryOutput
	var wait time.Duration
	c := &cobra.Command{
		Use:   "status ID",
		Short: "Show a query this node asked, with the answers so far",
		Long: `status shows a query this node asked (ID: its id, or the first 6 or more
characters, as kolo query list shows them) with the combined figures of the
answers received so far and every member's part. With --wait it first waits,
up to that long, for the members that have not answered.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check(); err != nil {
				return err
			}
			st, err := g.waitQuery(cmd.Context(), cmd.ErrOrStderr(), args[0], wait)
			if err != nil {
				return err
			}
			return out.print(cmd.Context(), g, cmd.OutOrStdout(), cmd.ErrOrStderr(), st)
		},
	}
	out.flags(c)
	c.Flags().DurationVar(&wait, "wait", 0, "wait up to this long for the members that have not answered")
	return c
}

func newQueryListCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List the queries this node asked, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var list []federation.Status
			if err := g.call(cmd.Context(), http.MethodGet, "/v1/queries", nil, &list); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), list)
			}
			if len(list) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "this node has asked no query yet (kolo query --help)")
				return nil
			}
			tw := newTable(cmd.OutOrStdout())
			fmt.Fprintln(tw, "ID\tASKED\tSTATE\tANSWERED\tQUERY")
			for _, st := range list {
				state := "closed " + st.Expires
				if st.Open {
					state = "open until " + st.Expires
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d of %d\t%s\n", st.ID, st.Issued, state, st.Answered(), len(st.Nodes), st.Text)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

// waitQuery fetches query id's status, first waiting up to wait for the
// members that have not answered, with a progress line on a terminal.
func (g *globals) waitQuery(ctx context.Context, progress io.Writer, id string, wait time.Duration) (federation.Status, error) {
	path := "/v1/queries/" + url.PathEscape(id)
	var st federation.Status
	if wait <= 0 {
		return st, g.call(ctx, http.MethodGet, path, nil, &st)
	}
	tty := false
	if f, ok := progress.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	deadline := time.Now().Add(wait)
	for {
		step := min(time.Until(deadline), 2*time.Second)
		if step < 0 {
			step = 0
		}
		if err := g.call(ctx, http.MethodGet, path+"?wait="+step.String(), nil, &st); err != nil {
			return st, err
		}
		done := st.Answered() == len(st.Nodes) || !st.Open || !time.Now().Before(deadline)
		if tty {
			fmt.Fprintf(progress, "\ranswers: %d of %d members", st.Answered(), len(st.Nodes))
			if done {
				fmt.Fprintln(progress)
			}
		}
		if done {
			return st, nil
		}
	}
}

// print writes st as asked, and the evidence if asked.
func (o *queryOutput) print(ctx context.Context, g *globals, w, ew io.Writer, st federation.Status) error {
	if o.evidence != "" {
		var files []federation.EvidenceFile
		if err := g.call(ctx, http.MethodGet, "/v1/queries/"+url.PathEscape(st.ID)+"/evidence", nil, &files); err != nil {
			return err
		}
		if err := writeEvidence(o.evidence, files); err != nil {
			return err
		}
		fmt.Fprintf(ew, "evidence: %d files in %s (docs/query.md says how to check them)\n", len(files), o.evidence)
	}
	switch {
	case o.asJSON:
		return printJSON(w, st)
	case o.asCSV:
		return printQueryCSV(w, st)
	}
	return printQuery(w, st)
}

// writeEvidence writes the evidence files into dir, each whole or not at
// all.
func writeEvidence(dir string, files []federation.EvidenceFile) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--evidence: %w", err)
	}
	for _, f := range files {
		if f.Name != filepath.Base(f.Name) || strings.HasPrefix(f.Name, ".") {
			return fmt.Errorf("--evidence: the node named a file %q; refusing it", f.Name)
		}
		if err := writeFileAtomic(filepath.Join(dir, f.Name), f.Data); err != nil {
			return fmt.Errorf("--evidence: %w", err)
		}
	}
	return nil
}

// groupNames are the column names of a query's cells: its groups, then
// "bin" for a histogram.
func groupNames(text string) []string {
	q, err := query.Parse(text, query.Options{})
	if err != nil {
		return nil
	}
	var names []string
	for _, g := range q.By {
		names = append(names, g.Name)
	}
	if q.Agg.Func == query.Histogram {
		names = append(names, "bin")
	}
	return names
}

func printQuery(w io.Writer, st federation.Status) error {
	c := st.Combined
	fmt.Fprintln(w, st.Text)
	if c == nil {
		return errors.New("no combined answer")
	}
	names := groupNames(st.Text)
	tw := newTable(w)
	head := append([]string{}, upper(names)...)
	head = append(head, "VALUE", "N", "FROM", "NOTE")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, cell := range c.Cells {
		row := append([]string{}, cell.Group...)
		for len(row) < len(names) {
			row = append(row, "")
		}
		value, n := "suppressed", ""
		if cell.Value != nil {
			value = formatValue(*cell.Value, c.Unit)
		}
		if cell.N != nil {
			n = strconv.FormatInt(*cell.N, 10)
		}
		var notes []string
		if cell.Interval != nil {
			notes = append(notes, fmt.Sprintf("between %s and %s (%s)", formatValue(cell.Interval.Low, c.Unit), formatValue(cell.Interval.High, c.Unit), cell.Method))
		}
		for _, s := range cell.Suppressed {
			notes = append(notes, fmt.Sprintf("suppressed at %s (%s)", nodeName(st, s.Node), s.Reason))
		}
		if cell.NoiseSD != nil {
			notes = append(notes, fmt.Sprintf("noise sd %.3g", *cell.NoiseSD))
		}
		row = append(row, value, n, strconv.Itoa(len(cell.Nodes)), strings.Join(notes, "; "))
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if c.Unit != "" {
		fmt.Fprintf(w, "unit: %s\n", c.Unit)
	}
	return printCoverage(w, st)
}

func printCoverage(w io.Writer, st federation.Status) error {
	counts := map[string]int{}
	for _, nd := range st.Nodes {
		counts[nd.State]++
	}
	fmt.Fprintf(w, "coverage: %d of %d members answered, %d refused, %d not yet answered, %d did not answer by the deadline\n",
		counts[federation.NodeAnswered], len(st.Nodes), counts[federation.NodeRefused], counts[federation.NodeWaiting], counts[federation.NodeMissing])
	tw := newTable(w)
	for _, nd := range st.Nodes {
		detail := ""
		for _, ns := range st.Combined.Nodes {
			if ns.Node == nd.Peer.String() && nd.State == federation.NodeAnswered {
				detail = fmt.Sprintf("%d cells released, %d suppressed", ns.Released, ns.Suppressed)
				if ns.Epsilon > 0 {
					detail += fmt.Sprintf(", ε %g", ns.Epsilon)
				}
			}
		}
		if nd.State == federation.NodeRefused {
			detail = nd.Reason + ": " + nd.Message
		}
		fmt.Fprintf(tw, "  %s (%s)\t%s\t%s\n", nd.Org, nd.Country, nd.State, detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	state := "closed at " + st.Expires
	if st.Open {
		state = "open until " + st.Expires
	}
	_, err := fmt.Fprintf(w, "query %s, %s\n", st.ID, state)
	return err
}

// printQueryCSV writes one row per cell: its groups, the value, the
// records behind it, a quantile's bounds, and where it was suppressed.
func printQueryCSV(w io.Writer, st federation.Status) error {
	c := st.Combined
	names := groupNames(st.Text)
	cw := csv.NewWriter(w)
	cw.Write(append(append([]string{"query"}, names...), "value", "unit", "n", "low", "high", "exact", "partial", "suppressed_at", "nodes"))
	for _, cell := range c.Cells {
		row := []string{st.Text}
		row = append(row, cell.Group...)
		for len(row) < 1+len(names) {
			row = append(row, "")
		}
		value, n, low, high := "", "", "", ""
		if cell.Value != nil {
			value = strconv.FormatFloat(*cell.Value, 'f', -1, 64)
		}
		if cell.N != nil {
			n = strconv.FormatInt(*cell.N, 10)
		}
		if cell.Interval != nil {
			low, high = strconv.FormatFloat(cell.Interval.Low, 'f', -1, 64), strconv.FormatFloat(cell.Interval.High, 'f', -1, 64)
		}
		var sup []string
		for _, s := range cell.Suppressed {
			sup = append(sup, nodeName(st, s.Node)+":"+s.Reason)
		}
		row = append(row, value, c.Unit, n, low, high, strconv.FormatBool(cell.Exact), strconv.FormatBool(cell.Partial),
			strings.Join(sup, ";"), strconv.Itoa(len(cell.Nodes)))
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

func nodeName(st federation.Status, p string) string {
	for _, nd := range st.Nodes {
		if nd.Peer.String() == p {
			return nd.Org
		}
	}
	return p
}

func upper(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToUpper(x)
	}
	return out
}

func formatValue(v float64, unit string) string {
	if unit == "" { // a share
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	}
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
