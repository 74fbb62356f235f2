package main

import "github.com/spf13/cobra"

// addRecordCommands registers kolo forms and kolo record.
func addRecordCommands(root *cobra.Command, g *globals) {}
