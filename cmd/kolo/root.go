package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/kolo-net/kolo/config"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// globals are the flags every command has.
type globals struct {
	home string
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "kolo",
		Short: "A node of a network of CSOs monitoring trafficking cases in the Western Balkans",
		Long: `kolo keeps this organisation's monitoring records encrypted on this machine and
exchanges with the network's other nodes only anonymised aggregates and signed
records of the network itself (member certificates, Declaration endorsements).

Every command takes --home DIR (or KOLO_HOME); the default is ~/.kolo.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.PersistentFlags().StringVar(&g.home, "home", "", "node home directory (default $KOLO_HOME, else ~/.kolo)")
	root.AddCommand(
		newInitCmd(g),
		newRunCmd(g),
		newIDCmd(g),
		newStatusCmd(g),
		newBackupCmd(g),
		newRestoreCmd(g),
		newConfigCmd(g),
		newVersionCmd(),
		newPluginCmd(),
		newTestnetCmd(),
	)
	addCommands(root, g)
	return root
}

// homeDir resolves the node's home: --home, then KOLO_HOME, then ~/.kolo.
func (g *globals) homeDir() (string, error) {
	h := g.home
	if h == "" {
		h = os.Getenv("KOLO_HOME")
	}
	if h == "" {
		u, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no --home given, KOLO_HOME unset, and no user home directory: %w", err)
		}
		h = filepath.Join(u, ".kolo")
	}
	abs, err := filepath.Abs(h)
	if err != nil {
		return "", fmt.Errorf("home %s: %w", h, err)
	}
	return abs, nil
}

// loadConfig loads the home's configuration, with flags mapped to keys.
func (g *globals) loadConfig(flags *pflag.FlagSet, flagKeys map[string]string) (config.Config, error) {
	home, err := g.homeDir()
	if err != nil {
		return config.Config{}, err
	}
	return config.Load(config.Options{Home: home, Flags: flags, FlagKeys: flagKeys})
}

// newLogger makes the daemon's logger: standard error, text or JSON.
func newLogger(w io.Writer, c config.Config) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.Log.Level)) // validated by config
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// printJSON writes v as indented JSON to w.
func printJSON(w io.Writer, v any) error {
	enc := jsonEncoder(w)
	return enc.Encode(v)
}

// loggerConfig is the configuration of a logger at level, text format.
func loggerConfig(level string) config.Config {
	c := config.Defaults()
	c.Log.Level = level
	return c
}
