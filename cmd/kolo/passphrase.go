package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kolo-net/kolo/node/keys"
)

func newPassphraseCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "passphrase",
		Short: "Change the passphrase that seals the node's key files",
	}
	c.AddCommand(newPassphraseChangeCmd(g))
	return c
}

func newPassphraseChangeCmd(g *globals) *cobra.Command {
	var remove bool
	c := &cobra.Command{
		Use:   "change",
		Short: "Seal the key files with a new passphrase",
		Long: `change reads the key files with the current passphrase (KOLO_PASSPHRASE; none if
the files are not encrypted) and seals them again with the new one:
KOLO_NEW_PASSPHRASE, or asked twice on the terminal. --remove writes them
unencrypted instead. The keys themselves do not change: the node keeps its
identity and its store. New files are written in full before any old one is
replaced. Afterwards kolo run and the commands need the new passphrase: change
KOLO_PASSPHRASE wherever it is set (a systemd EnvironmentFile). A running
daemon keeps running with the keys it read at start.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, err := g.homeDir()
			if err != nil {
				return err
			}
			newPass := os.Getenv("KOLO_NEW_PASSPHRASE")
			switch {
			case remove && newPass != "":
				return errors.New("--remove writes the key files unencrypted: unset KOLO_NEW_PASSPHRASE, or leave out --remove")
			case !remove && newPass == "":
				if newPass, err = askNewPassphrase(cmd); err != nil {
					return err
				}
			}
			if err := keys.Reseal(cmd.Context(), home, os.Getenv("KOLO_PASSPHRASE"), newPass); err != nil {
				return err
			}
			if remove {
				fmt.Fprintln(cmd.OutOrStdout(), "the key files are no longer encrypted; unset KOLO_PASSPHRASE where it is set")
				return nil
			}
			fmt.Fprintln(cmd.OutOrStdout(), "the key files are sealed with the new passphrase; set KOLO_PASSPHRASE to it wherever kolo runs")
			return nil
		},
	}
	c.Flags().BoolVar(&remove, "remove", false, "write the key files unencrypted")
	return c
}

// askNewPassphrase reads the new passphrase twice from the terminal.
func askNewPassphrase(cmd *cobra.Command) (string, error) {
	f, ok := cmd.InOrStdin().(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New("no new passphrase: set KOLO_NEW_PASSPHRASE, or run on a terminal to be asked")
	}
	read := func(prompt string) (string, error) {
		fmt.Fprint(cmd.ErrOrStderr(), prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cmd.ErrOrStderr())
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read passphrase: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	p1, err := read("new passphrase: ")
	if err != nil {
		return "", err
	}
	if p1 == "" {
		return "", errors.New("the new passphrase is empty: give one, or --remove to write the key files unencrypted")
	}
	p2, err := read("again: ")
	if err != nil {
		return "", err
	}
	if p1 != p2 {
		return "", errors.New("the two passphrases differ; nothing was changed")
	}
	return p1, nil
}
