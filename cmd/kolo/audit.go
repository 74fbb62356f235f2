package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/audit"
	"github.com/spf13/cobra"
)

func newAuditCmd(g *globals) *cobra.Command {
	var (
		asJSON           bool
		event, requester string
		since            string
		limit            int
	)
	c := &cobra.Command{
		Use:   "audit [--event E] [--requester PEER] [--since DATE] [--limit N]",
		Short: "Show this node's audit log of federated queries",
		Long: `audit lists this node's own log of the federated queries it took part in:
queries it sent (query_sent), queries that reached it (query_received), what it
answered (query_answered: cells released and suppressed, ε spent) or refused
(query_refused, with the reason), and answers to its own queries
(answer_received). The log never holds a figure or a record. Each entry carries
the SHA-256 of the one before: kolo audit verify checks the chain.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := url.Values{}
			if event != "" {
				v.Set("event", event)
			}
			if requester != "" {
				v.Set("requester", requester)
			}
			if since != "" {
				if _, err := time.Parse(time.DateOnly, since); err != nil {
					return fmt.Errorf("--since %q: give a date such as 2026-11-01", since)
				}
				v.Set("since", since)
			}
			if limit > 0 {
				v.Set("limit", strconv.Itoa(limit))
			}
			var es []audit.Entry
			if err := g.call(cmd.Context(), http.MethodGet, "/v1/audit?"+v.Encode(), nil, &es); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), es)
			}
			tw := newTable(cmd.OutOrStdout())
			fmt.Fprintln(tw, "SEQ\tTIME\tEVENT\tREQUESTER\tRELEASED\tSUPPRESSED\tε\tREASON\tQUERY")
			for _, e := range es {
				eps := ""
				if e.Epsilon > 0 {
					eps = strconv.FormatFloat(e.Epsilon, 'f', -1, 64)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", e.Seq, e.Time.UTC().Format(time.RFC3339), e.Event,
					short(e.Requester), e.Released, e.Suppressed, eps, e.Reason, e.Query)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().StringVar(&event, "event", "", "only this event: query_sent, query_received, query_answered, query_refused, answer_received")
	c.Flags().StringVar(&requester, "requester", "", "only the queries of this member (peer ID)")
	c.Flags().StringVar(&since, "since", "", "only entries from this date (YYYY-MM-DD, UTC) on")
	c.Flags().IntVar(&limit, "limit", 0, "at most this many entries, the newest")
	c.AddCommand(newAuditVerifyCmd(g))
	return c
}

func newAuditVerifyCmd(g *globals) *cobra.Command {
	var asJSON bool
	var anchor string
	c := &cobra.Command{
		Use:   "verify [--anchor SEQ:HASH]",
		Short: "Check that no entry of the audit log was edited, removed, inserted or reordered",
		Long: `verify walks the audit log's hash chain and prints its head (the last entry's
number and hash). Write the head down (or publish it): given later as --anchor,
it also finds a log rewritten from that entry on. Exits 1 when the chain breaks.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := "/v1/audit/verify"
			if anchor != "" {
				path += "?anchor=" + url.QueryEscape(anchor)
			}
			var res node.AuditVerify
			if err := g.call(cmd.Context(), http.MethodGet, path, nil, &res); err != nil {
				return err
			}
			if asJSON {
				if err := printJSON(cmd.OutOrStdout(), res); err != nil {
					return err
				}
			} else if res.Valid {
				fmt.Fprintf(cmd.OutOrStdout(), "OK: the audit log's %d entries chain; head %d:%s\n", res.Head.Seq, res.Head.Seq, res.Head.Hash)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "NOT VALID: %s\n", res.Problem)
			}
			if !res.Valid {
				return fmt.Errorf("the audit log does not verify: %s", res.Problem)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().StringVar(&anchor, "anchor", "", "a head printed before (SEQ:HASH): check that the log still holds it")
	return c
}

// short shortens a peer ID for a table.
func short(p string) string {
	if len(p) > 16 && strings.HasPrefix(p, "12D3KooW") {
		return p[:8] + "…" + p[len(p)-6:]
	}
	return p
}
