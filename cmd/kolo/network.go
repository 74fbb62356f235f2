package main

import "github.com/spf13/cobra"

// addNetworkCommands registers kolo network, invite, join, members and
// declaration.
func addNetworkCommands(root *cobra.Command, g *globals) {}
