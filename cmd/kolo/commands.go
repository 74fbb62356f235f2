package main

import "github.com/spf13/cobra"

// addCommands registers the commands of the node's services beyond the
// foundation: forms and records (records.go), the network and the
// Declaration (network.go), plugins (plugin.go).
func addCommands(root *cobra.Command, g *globals) {
	addRecordCommands(root, g)
	root.AddCommand(newPassphraseCmd(g)) // passphrase.go
	addNetworkCommands(root, g)
	root.AddCommand(newQueryCmd(g), newAuditCmd(g), newReportCmd(g))
	root.AddCommand(newUICmd(g)) // ui.go
}
