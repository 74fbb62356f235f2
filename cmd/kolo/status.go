package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/store"
	"github.com/spf13/cobra"
)

// exitNotRunning is status's exit code when no daemon runs, as systemctl
// status and LSB init scripts use it.
const exitNotRunning = 3

// exitStoreProblem is status's exit code when the daemon runs but its store
// cannot be written (directory gone, disk full, I/O error): a health check
// that reads the exit status sees it at once.
const exitStoreProblem = 1

func newStatusCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "status",
		Short: "Show the node's state: identity, uptime, peers, store size, version",
		Long: `status asks the running daemon for its state: identity, uptime, peers, the disk
space the store takes, how many times the daemon started. When no daemon runs it
shows what it can read from the home and exits with status 3 (as systemctl
does). When the daemon runs but its store cannot be written (its directory
removed, its disk full, a disk error), status says why and exits with
status 1. A mistake in kolo.yaml is reported as a warning on standard error: it
does not change the exit status.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, err := g.homeDir()
			if err != nil {
				return err
			}
			// The configuration is read only to show what it says; a
			// mistake in kolo.yaml is reported but does not make status
			// fail while the daemon runs (health checks read the exit
			// status), nor hide that it does not.
			cfg, cfgErr := g.loadConfig(nil, nil)
			if _, serr := os.Stat(filepath.Join(home, config.FileName)); cfgErr != nil && serr != nil {
				return cfgErr // not a kolo home
			}
			var st node.Status
			cl, err := api.Dial(cmd.Context(), home)
			switch {
			case err == nil:
				if err := cl.Do(cmd.Context(), http.MethodGet, "/v1/status", nil, &st); err != nil {
					return err
				}
				if cfgErr != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %v; the running daemon read the file when it started and is not affected, but kolo run will refuse to start until this is fixed\n", cfgErr)
				}
			case errors.Is(err, api.ErrNotRunning):
				pub, perr := keys.ReadPublic(home)
				if perr != nil {
					return perr
				}
				st = node.Status{PeerID: pub.PeerID, AgeRecipient: pub.AgeRecipient, Org: cfg.Node.Org,
					Country: cfg.Node.Country, Version: version, StoreBytes: node.StoreSize(home)}
				if cfgErr != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %v; kolo run will refuse to start until this is fixed\n", cfgErr)
				}
			default:
				return err
			}
			if asJSON {
				err = printJSON(cmd.OutOrStdout(), st)
			} else {
				err = printStatus(cmd.OutOrStdout(), st)
			}
			if err != nil {
				return err
			}
			if !st.Running {
				return &exitError{code: exitNotRunning}
			}
			if st.StoreProblem != "" {
				return &exitError{code: exitStoreProblem, err: fmt.Errorf("the store cannot be written: %s", st.StoreProblem)}
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

func printStatus(w io.Writer, st node.Status) error {
	state := "not running"
	if st.Running {
		state = "running, up " + (time.Duration(st.UptimeSeconds) * time.Second).String()
	}
	_, err := fmt.Fprintf(w, `state:         %s
peer_id:       %s
age_recipient: %s
org:           %s
country:       %s
peers:         %d
store:         %s
version:       %s
`, state, st.PeerID, st.AgeRecipient, st.Org, st.Country, st.Peers, store.HumanBytes(st.StoreBytes), st.Version)
	if err == nil && st.Running {
		health := "writable"
		if st.StoreProblem != "" {
			health = "CANNOT BE WRITTEN: " + st.StoreProblem
		}
		_, err = fmt.Fprintf(w, "store_health:  %s\nstarts:        %d since %s\napi:           %s\naddrs:         %s\n", health, st.Starts, st.Created, st.API, strings.Join(st.Addrs, " "))
	}
	return err
}
