package main

import (
	"fmt"

	"github.com/kolo-net/kolo/node/keys"
	"github.com/spf13/cobra"
)

func newIDCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "id",
		Short: "Print the node's peer ID and age recipient",
		Long:  "id prints the node's public identity. It needs no passphrase and no running daemon.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, err := g.homeDir()
			if err != nil {
				return err
			}
			pub, err := keys.ReadPublic(home)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), pub)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "peer_id: %s\nage_recipient: %s\n", pub.PeerID, pub.AgeRecipient)
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}
