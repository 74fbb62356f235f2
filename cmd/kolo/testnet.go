package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/testnet"
	"github.com/spf13/cobra"
)

func newTestnetCmd() *cobra.Command {
	var (
		n        int
		dir      string
		logLevel string
		asJSON   bool
		records  int
	)
	c := &cobra.Command{
		Use:   "testnet",
		Short: "Run a whole kolo network on this machine, on loopback, until Ctrl-C",
		Long: `testnet starts N nodes in one process, each with its own home under --dir,
listening on 127.0.0.1 with free ports. The first node founds a network,
invites the others, which join; every node endorses the Declaration and enters
a few synthetic monitoring records on its country's forms.

While it runs, every kolo command works against any of its nodes:
    kolo status --home DIR/node-01
Homes are kept, so running testnet again with the same --dir restarts the same
network. It prints one line per node, then "ready nodes=N dir=DIR".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if n < 1 || n > 100 {
				return fmt.Errorf("--nodes must be 1..100, got %d", n)
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
			var lvl = "warn"
			if logLevel != "" {
				lvl = logLevel
			}
			log := newLogger(cmd.ErrOrStderr(), loggerConfig(lvl))
			fmt.Fprintf(cmd.ErrOrStderr(), "starting %d nodes in %s ...\n", n, abs)
			net, err := testnet.Start(ctx, testnet.Options{N: n, Dir: abs, Logger: log, Node: node.Options{Version: version}})
			if err != nil {
				return err
			}
			defer closeTestnet(net)
			_, existing := net.Node(0).Network()
			if err := net.Form(ctx); err != nil {
				return err
			}
			if !existing {
				// A new network: every organisation endorses the
				// Declaration and enters some records. A network started
				// again from the same --dir keeps what it had.
				if err := net.EndorseAll(ctx); err != nil {
					return err
				}
				if records > 0 {
					if _, err := net.Seed(ctx, records); err != nil {
						return err
					}
				}
			}
			out := cmd.OutOrStdout()
			var rows []map[string]any
			for i := range net.Len() {
				st := net.Node(i).Status()
				rows = append(rows, map[string]any{"node": i, "home": net.HomeOf(i), "peer_id": st.PeerID, "country": st.Country, "org": st.Org, "api": st.API})
				if !asJSON {
					fmt.Fprintf(out, "node %02d  %s  %-2s  %-12s  %s  %s\n", i, st.PeerID, st.Country, st.Org, st.API, net.HomeOf(i))
				}
			}
			if asJSON {
				if err := printJSON(out, map[string]any{"dir": abs, "nodes": rows}); err != nil {
					return err
				}
			}
			fmt.Fprintf(out, "ready nodes=%d dir=%s\n", n, abs)
			fmt.Fprintf(cmd.ErrOrStderr(), "try: kolo status --home %s   (Ctrl-C stops the network; homes are kept)\n", strings.TrimSpace(net.HomeOf(0)))
			<-ctx.Done()
			return nil
		},
	}
	c.Flags().IntVar(&n, "nodes", 4, "number of nodes (1..100)")
	c.Flags().StringVar(&dir, "dir", "", "directory for the nodes' homes (default: a new temporary directory)")
	c.Flags().StringVar(&logLevel, "log-level", "", "log level of all nodes: debug, info, warn, error (default warn)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the nodes as JSON")
	c.Flags().IntVar(&records, "records", 12, "synthetic monitoring records to enter on each node with built-in forms (RS, HR, BA, MK)")
	return c
}

func closeTestnet(net *testnet.Net) {
	ctx, cancel := contextWithTimeout(shutdownTimeout)
	defer cancel()
	net.Close(ctx)
}
