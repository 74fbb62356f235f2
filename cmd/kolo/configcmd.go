package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/kolo-net/kolo/config"
	"github.com/spf13/cobra"
)

func newConfigCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "config",
		Short: "Inspect the node's configuration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	var asJSON bool
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration, secrets redacted",
		Long: `show prints the configuration the daemon would run with: flags > KOLO_*
environment variables > kolo.yaml > defaults. No key holds a secret; the
passphrase and the API token are shown only as set or not set.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.loadConfig(cmd.Flags(), runFlags)
			if err != nil {
				return err
			}
			sec := map[string]string{
				"passphrase": redacted(os.Getenv("KOLO_PASSPHRASE") != ""),
				"api_token":  "redacted (file api.token while the daemon runs)",
			}
			if asJSON {
				vals := map[string]any{}
				for _, s := range config.Settings(cfg) {
					vals[s.Key] = s.Value
				}
				return printJSON(cmd.OutOrStdout(), map[string]any{"home": cfg.Home, "file": cfg.File, "config": vals, "secrets": sec})
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "# home: %s\n# file: %s\n", cfg.Home, cfg.File)
			for _, s := range config.Settings(cfg) {
				v, err := json.Marshal(s.Value)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%s: %s\n", s.Key, v)
			}
			fmt.Fprintf(w, "# secrets: passphrase %s; api token %s\n", sec["passphrase"], sec["api_token"])
			return nil
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	f := show.Flags()
	f.String("log-level", "", "as for kolo run")
	f.String("log-format", "", "as for kolo run")
	f.Int("api-port", 0, "as for kolo run")
	f.String("listen", "", "as for kolo run")
	f.String("bootstrap", "", "as for kolo run")
	c.AddCommand(show)
	return c
}

func redacted(set bool) string {
	if set {
		return "set (redacted)"
	}
	return "not set"
}
