package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/spf13/cobra"
)

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT is set.
const defaultMemoryLimit = 512 << 20

// shutdownTimeout bounds a clean stop after SIGINT or SIGTERM.
const shutdownTimeout = 5 * time.Second

// runFlags maps kolo run's flags to configuration keys.
var runFlags = map[string]string{
	"log-level":  "log.level",
	"log-format": "log.format",
	"api-port":   "api.port",
	"listen":     "network.listen",
	"bootstrap":  "network.bootstrap",
}

func newRunCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "run",
		Short: "Run the node's daemon until SIGINT or SIGTERM",
		Long: `run starts the node: its libp2p host, its encrypted store and the local API
on 127.0.0.1 that the other kolo commands use. When ready it prints one line
    ready peer=<id> addrs=<multiaddrs> api=<url>
on standard output; logs go to standard error. SIGINT or SIGTERM stop it
cleanly within 5 seconds; if its store cannot be closed in that time (its
directory was removed under it), it exits anyway, with status 1 and one line
saying why. Only one daemon runs per home.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.loadConfig(cmd.Flags(), runFlags)
			if err != nil {
				return err
			}
			log := newLogger(cmd.ErrOrStderr(), cfg)
			ctx := cmd.Context()
			if os.Getenv("GOMEMLIMIT") == "" {
				// A soft limit keeps a long import from growing the heap
				// past what a 4 GB office laptop can spare (docs/store.md).
				debug.SetMemoryLimit(defaultMemoryLimit)
			}
			ks, err := keys.Read(ctx, cfg.Home, os.Getenv("KOLO_PASSPHRASE"))
			if err != nil {
				return err
			}
			n, err := node.New(ctx, cfg, ks, node.Options{Logger: log, Version: version})
			if err != nil {
				return err
			}
			if err := n.Start(ctx); err != nil {
				closeNode(n)
				return err
			}
			var addrs []string
			for _, a := range n.Host().Addrs() {
				addrs = append(addrs, a.String())
			}
			fmt.Fprintf(cmd.OutOrStdout(), "ready peer=%s addrs=%s api=%s\n", n.PeerID(), strings.Join(addrs, ","), n.APIURL())
			<-ctx.Done()
			log.Info("stopping", "timeout", shutdownTimeout)
			return closeNode(n)
		},
	}
	f := c.Flags()
	f.String("log-level", "", "log level: debug, info, warn, error (key log.level)")
	f.String("log-format", "", "log format: text or json (key log.format)")
	f.Int("api-port", 0, "port of the local API on 127.0.0.1, 0 for any (key api.port)")
	f.String("listen", "", "comma-separated multiaddrs to listen on (key network.listen)")
	f.String("bootstrap", "", "comma-separated multiaddrs of peers to dial (key network.bootstrap)")
	return c
}

// closeNode stops the node within shutdownTimeout, whatever happens: a
// part that does not finish in time (a store that cannot flush because its
// directory is gone) is left to the process's exit, and the stop fails with
// one line saying why. What the store acknowledged is in its write-ahead
// log, which the next start reads.
func closeNode(n *node.Node) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- n.Close(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(shutdownTimeout + stopGrace):
		// Node.Close honours ctx; this is for a part that does not.
		err = fmt.Errorf("the node did not stop within %s; exiting without it", shutdownTimeout)
	}
	if err != nil {
		return fmt.Errorf("stop: %s", oneLine(err))
	}
	return nil
}

// stopGrace is how long past shutdownTimeout closeNode waits for Node.Close
// to return on its own.
const stopGrace = 500 * time.Millisecond

// oneLine joins the lines of an error (errors.Join puts each on its own)
// with "; ", for the one line a command prints.
func oneLine(err error) string {
	var parts []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}

func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
