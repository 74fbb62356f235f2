package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/spf13/cobra"
)

// exitNotRunning is status's exit code when no daemon runs, as systemctl
// status and LSB init scripts use it.
const exitNotRunning = 3

func newStatusCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "status",
		Short: "Show the node's state: identity, uptime, peers, store size, version",
		Long: `status asks the running daemon for its state. When no daemon runs it shows
what it can read from the home and exits with status 3 (as systemctl does).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.loadConfig(nil, nil)
			if err != nil {
				return err
			}
			var st node.Status
			cl, err := api.Dial(cmd.Context(), cfg.Home)
			switch {
			case err == nil:
				if err := cl.Do(cmd.Context(), http.MethodGet, "/v1/status", nil, &st); err != nil {
					return err
				}
			case errors.Is(err, api.ErrNotRunning):
				pub, perr := keys.ReadPublic(cfg.Home)
				if perr != nil {
					return perr
				}
				st = node.Status{PeerID: pub.PeerID, AgeRecipient: pub.AgeRecipient, Org: cfg.Node.Org,
					Country: cfg.Node.Country, Version: version, StoreBytes: dirSize(filepath.Join(cfg.Home, node.StoreDir))}
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
`, state, st.PeerID, st.AgeRecipient, st.Org, st.Country, st.Peers, humanBytes(st.StoreBytes), st.Version)
	if err == nil && st.Running {
		_, err = fmt.Fprintf(w, "starts:        %d since %s\napi:           %s\naddrs:         %s\n", st.Starts, st.Created, st.API, strings.Join(st.Addrs, " "))
	}
	return err
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// dirSize adds up the sizes of the files under dir (0 if it is missing).
func dirSize(dir string) int64 {
	var total int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if fi, err := d.Info(); err == nil && !d.IsDir() {
			total += fi.Size()
		}
		return nil
	})
	return total
}
