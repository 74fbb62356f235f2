package main

import "github.com/spf13/cobra"

// addCommands registers the commands of the node's services beyond the
// foundation (forms, records, network, declaration).
func addCommands(root *cobra.Command, g *globals) {
}
