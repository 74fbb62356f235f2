package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/backup"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/store"
)

// maxIdentityFile caps an age identity file (one key is 74 bytes).
const maxIdentityFile = 64 << 10

func newBackupCmd(g *globals) *cobra.Command {
	var (
		out        string
		recipients []string
	)
	c := &cobra.Command{
		Use:   "backup -o FILE --recipient age1...",
		Short: "Write an encrypted backup of the node: its keys, configuration and store",
		Long: `backup writes one file holding everything needed to bring the node back on
another machine: kolo.yaml, the key files (sealed with KOLO_PASSPHRASE if the
node's are) and a consistent copy of the store, encrypted with age to the
recipients given. Use a key kept offline, not on this machine:

    age-keygen -o backup-key.txt     # on the machine that keeps backups; prints the recipient

While the daemon runs, the backup is made by the daemon from one snapshot of the
store (writes go on meanwhile); otherwise from the home directly. The file is
written under FILE.partial and renamed to FILE when complete; an existing FILE
is not overwritten. kolo restore brings it back.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return errors.New("give the backup file: -o FILE")
			}
			ctx := cmd.Context()
			home, err := g.homeDir()
			if err != nil {
				return err
			}
			m, size, err := writeBackup(ctx, g, home, out, recipients)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "backup of %s (%s, %s) written to %s (%s); restore it with: kolo restore %s --home DIR --identity KEYFILE\n",
				m.PeerID, m.Org, m.Country, out, store.HumanBytes(size), out)
			return err
		},
	}
	f := c.Flags()
	f.StringVarP(&out, "output", "o", "", "the backup file to write (not overwritten if it exists)")
	f.StringArrayVar(&recipients, "recipient", nil, "age recipient (age1...) to encrypt to; repeat for several")
	return c
}

// writeBackup writes the backup to out through a partial file, from the
// daemon if one runs, else from the home.
func writeBackup(ctx context.Context, g *globals, home, out string, recipients []string) (backup.Manifest, int64, error) {
	// Refused here too, so that a bad recipient leaves no file behind.
	if _, err := backup.CheckRecipients(recipients, ""); err != nil {
		return backup.Manifest{}, 0, err
	}
	if _, err := os.Lstat(out); err == nil {
		return backup.Manifest{}, 0, fmt.Errorf("%s exists: give another name (a backup is never overwritten)", out)
	}
	partial := out + ".partial"
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return backup.Manifest{}, 0, fmt.Errorf("%s exists: another backup is being written, or one failed; remove it if none runs", partial)
	}
	if err != nil {
		return backup.Manifest{}, 0, err
	}
	m, err := backupTo(ctx, g, home, f, recipients)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(partial)
		return m, 0, err
	}
	fi, err := os.Stat(partial)
	if err != nil {
		return m, 0, err
	}
	if err := os.Rename(partial, out); err != nil {
		os.Remove(partial)
		return m, 0, err
	}
	return m, fi.Size(), nil
}

// backupTo writes the backup to w, from the daemon or from the home.
func backupTo(ctx context.Context, g *globals, home string, w io.Writer, recipients []string) (backup.Manifest, error) {
	cl, err := api.Dial(ctx, home)
	switch {
	case err == nil:
		body, err := cl.Stream(ctx, http.MethodPost, "/v1/backup", map[string]any{"recipients": recipients})
		if err != nil {
			return backup.Manifest{}, err
		}
		defer body.Close()
		if _, err := io.Copy(w, body); err != nil {
			return backup.Manifest{}, fmt.Errorf("backup from the daemon interrupted: %w", err)
		}
		pub, err := keys.ReadPublic(home)
		if err != nil {
			return backup.Manifest{}, err
		}
		var st node.Status
		if err := cl.Do(ctx, http.MethodGet, "/v1/status", nil, &st); err != nil {
			return backup.Manifest{}, err
		}
		return backup.Manifest{PeerID: pub.PeerID, Org: st.Org, Country: st.Country}, nil
	case !errors.Is(err, api.ErrNotRunning):
		return backup.Manifest{}, err
	}
	// No daemon: the home itself, through node's offline path.
	cfg, err := g.loadConfig(nil, nil)
	if err != nil {
		return backup.Manifest{}, err
	}
	o, err := openOffline(ctx, cfg, io.Discard)
	if err != nil {
		return backup.Manifest{}, err
	}
	m, err := o.Backup(ctx, w, recipients)
	if cerr := o.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return m, err
}

func newRestoreCmd(g *globals) *cobra.Command {
	var identity string
	c := &cobra.Command{
		Use:   "restore FILE --home DIR --identity KEYFILE",
		Short: "Restore a node from a backup into a new home",
		Long: `restore brings back a node from a file kolo backup wrote: its configuration,
key files and store, into the home given (--home or KOLO_HOME), which must not
exist or be empty. --identity is the age identity file whose recipient the
backup was encrypted to (age-keygen's output). If the node's key files were
sealed with a passphrase, set KOLO_PASSPHRASE as for kolo run: the store is
loaded with the store key.

The restored node has the same identity (peer ID), membership, records and
audit log as when the backup was made; start it with kolo run. Install its
plugins again. Run one node per identity: stop the old one for good first.
A restore that fails leaves nothing behind.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if identity == "" {
				return errors.New("give the age identity the backup was encrypted to: --identity KEYFILE")
			}
			ids, err := readIdentities(identity)
			if err != nil {
				return err
			}
			home, err := g.homeDir()
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			m, err := backup.Restore(cmd.Context(), f, backup.RestoreOptions{Home: home, Identities: ids,
				Passphrase: os.Getenv("KOLO_PASSPHRASE")})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "restored %s (%s, %s), backed up at %s, into %s; start it with: kolo run --home %s\n",
				m.PeerID, m.Org, m.Country, m.Created.Format("2006-01-02 15:04:05 MST"), home, home)
			return err
		},
	}
	c.Flags().StringVar(&identity, "identity", "", "age identity file (AGE-SECRET-KEY-1...) the backup was encrypted to")
	return c
}

// readIdentities reads an age identity file, within maxIdentityFile.
func readIdentities(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--identity: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxIdentityFile+1))
	if err != nil {
		return nil, fmt.Errorf("--identity %s: %w", path, err)
	}
	if len(b) > maxIdentityFile {
		return nil, fmt.Errorf("--identity %s: larger than %d bytes: not an age identity file", path, maxIdentityFile)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("--identity %s: %v (want a file as age-keygen writes: AGE-SECRET-KEY-1...)", filepath.Base(path), err)
	}
	return ids, nil
}
