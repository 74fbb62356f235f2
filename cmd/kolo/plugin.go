package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/kolo-net/kolo/plugins/forms"
	"github.com/kolo-net/kolo/plugins/sdk"
)

func newPluginCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plugin",
		Short: "Write a new country-form plugin; serve the built-in forms (kolo runs that itself)",
		Long: `"kolo plugin new" writes a new country-form plugin to start from: a Go module
that builds, passes its tests and loads into a node as written
(plugins/README.md walks through it).

kolo serves its built-in country forms from child processes of its own,
"kolo plugin serve COUNTRY...", started and watched by the node like any
third-party plugin in the plugins directory. There is no need to run this by
hand: run so, it says that it is a plugin and exits.`,
	}
	cmd.AddCommand(newPluginNewCmd())
	cmd.AddCommand(&cobra.Command{
		Use:       "serve COUNTRY...",
		Short:     "Serve built-in countries' forms (" + strings.Join(forms.Countries(), ", ") + ")",
		Args:      cobra.MinimumNArgs(1),
		ValidArgs: forms.Countries(),
		RunE: func(cmd *cobra.Command, args []string) error {
			fs, err := forms.Of(args...)
			if err != nil {
				return err
			}
			sdk.Serve(fs...)
			return nil
		},
	})
	return cmd
}
