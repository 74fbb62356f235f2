package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/spf13/cobra"
)

func newUICmd(g *globals) *cobra.Command {
	var noOpen, asJSON, remote bool
	c := &cobra.Command{
		Use:   "ui [--no-open] [--remote] [--json]",
		Short: "Print (and open) a one-time login link to the node's web interface",
		Long: `ui asks the running daemon for a one-time login link to its web interface
(docs/ui.md) and prints it. The link works once, within 5 minutes: opening it
logs the browser in (a session cookie, 12 hours idle, 7 days at most) and is
then spent; run kolo ui again for another browser or after a restart of the
daemon. Where a desktop runs ($DISPLAY or $WAYLAND_DISPLAY), the link is also
opened in the default browser, unless --no-open.

--remote prints a link for another machine of the office network, on the TLS
listener of ui.remote.listen (docs/ui.md); send it over a channel you trust.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var link node.UILink
			if err := g.call(cmd.Context(), http.MethodPost, "/v1/ui/links", map[string]bool{"remote": remote}, &link); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), link)
			}
			fmt.Fprintln(cmd.OutOrStdout(), link.URL)
			if !noOpen && !remote && hasDesktop() {
				if err := openBrowser(cmd.Context(), link.URL); err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "could not open a browser (%v): open the link above yourself\n", err)
				}
			}
			return nil
		},
	}
	c.Flags().BoolVar(&noOpen, "no-open", false, "only print the link, do not open a browser")
	c.Flags().BoolVar(&remote, "remote", false, "a link for another machine, on ui.remote.listen over TLS")
	c.Flags().BoolVar(&asJSON, "json", false, "print the link and its expiry as JSON")
	return c
}

// hasDesktop reports whether a graphical session runs, where a browser
// can open.
func hasDesktop() bool { return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "" }

// openBrowser opens url with xdg-open, without waiting for the browser.
// The link is an argument of the command, never of a shell.
func openBrowser(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdg-open", url)
	return cmd.Run()
}
