package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kolo-net/kolo/plugins/forms/ba"
	"github.com/kolo-net/kolo/plugins/forms/hr"
	"github.com/kolo-net/kolo/plugins/forms/mk"
	"github.com/kolo-net/kolo/plugins/forms/rs"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// builtInForms are the country forms compiled into kolo, by the country
// argument of "kolo plugin serve". plugins/host starts one such process per
// country (host.BuiltInCountries), so that built-in forms run out of
// process exactly like third-party plugins.
var builtInForms = map[string]func() []sdk.Form{
	"rs": rs.Forms,
	"hr": hr.Forms,
	"ba": ba.Forms,
	"mk": mk.Forms,
}

func builtInCountries() []string {
	cs := make([]string, 0, len(builtInForms))
	for c := range builtInForms {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

func newPluginCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plugin",
		Short: "Serve the built-in country forms as a plugin (kolo runs this itself)",
		Long: `kolo serves its built-in country forms from child processes of its own,
"kolo plugin serve COUNTRY", started and watched by the node like any
third-party plugin in the plugins directory. There is no need to run this by
hand: run so, it says that it is a plugin and exits.`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:       "serve COUNTRY",
		Short:     "Serve one country's built-in forms (" + strings.Join(builtInCountries(), ", ") + ")",
		Args:      cobra.ExactArgs(1),
		ValidArgs: builtInCountries(),
		RunE: func(cmd *cobra.Command, args []string) error {
			forms, ok := builtInForms[args[0]]
			if !ok {
				return fmt.Errorf("no built-in forms for country %q: kolo ships %s; other countries' forms are plugins in the plugins directory",
					args[0], strings.Join(builtInCountries(), ", "))
			}
			sdk.Serve(forms()...)
			return nil
		},
	})
	return cmd
}
