package main

import (
	"fmt"
	"os"

	"github.com/kolo-net/kolo/node"
	"github.com/spf13/cobra"
)

func newInitCmd(g *globals) *cobra.Command {
	var (
		org, country  string
		force, asJSON bool
	)
	c := &cobra.Command{
		Use:   "init --org NAME --country CC",
		Short: "Create a new node: its home directory, configuration and keys",
		Long: `init creates the node's home directory (mode 0700) with kolo.yaml and the node's
keys (mode 0600): its libp2p Ed25519 key, its age X25519 identity and the
store's encryption key. With KOLO_PASSPHRASE set, the key files are encrypted
with that passphrase and kolo run needs the same variable.

It prints the node's peer ID and age recipient. It refuses a directory that
already holds a node unless --force, which moves the old node aside.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, err := g.homeDir()
			if err != nil {
				return err
			}
			if org == "" {
				return fmt.Errorf("--org is required: the name of the organisation running this node")
			}
			pub, err := node.Init(node.InitOptions{
				Home: home, Org: org, Country: country, Force: force,
				Passphrase: os.Getenv("KOLO_PASSPHRASE"),
			})
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), pub)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "peer_id: %s\nage_recipient: %s\n", pub.PeerID, pub.AgeRecipient)
			fmt.Fprintf(cmd.ErrOrStderr(), "created node in %s; start it with: kolo run --home %s\n", home, home)
			return nil
		},
	}
	c.Flags().StringVar(&org, "org", "", "organisation running this node (required)")
	c.Flags().StringVar(&country, "country", "", "ISO 3166-1 alpha-2 country code, e.g. RS, HR, BA, MK (required)")
	c.Flags().BoolVar(&force, "force", false, "start a new node in a home that already holds one (the old one is moved aside)")
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	_ = c.MarkFlagRequired("country")
	return c
}
