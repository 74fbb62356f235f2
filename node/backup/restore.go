package backup

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"filippo.io/age"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/store"
)

// StoreDir is the store's directory in a home (node.StoreDir; node wires
// this package, so the name is repeated here).
const StoreDir = "store"

// RestoreOptions say where and how to restore.
type RestoreOptions struct {
	Home       string         // the new home: missing, or an empty directory
	Identities []age.Identity // the sysadmin's, one of which the backup is encrypted to
	// Passphrase opens the key files if the node's were sealed with one
	// (KOLO_PASSPHRASE): the store key is needed to load the store.
	Passphrase string
	Logger     *slog.Logger // nil discards
}

// Restore reads a backup from r into a new home. It returns the backup's
// manifest. Nothing is left behind when it fails.
func Restore(ctx context.Context, r io.Reader, o RestoreOptions) (Manifest, error) {
	home, err := filepath.Abs(o.Home)
	if err != nil {
		return Manifest{}, err
	}
	if err := checkEmpty(home); err != nil {
		return Manifest{}, err
	}
	dec, err := age.Decrypt(r, o.Identities...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return Manifest{}, fmt.Errorf("restore: the backup is not encrypted to the identity given (--identity): %w", err)
		}
		return Manifest{}, fmt.Errorf("restore: not an age-encrypted kolo backup: %w", err)
	}
	// Beside the home, on the same file system, so that the last step is a
	// rename: either the whole home appears, or none.
	if err := os.MkdirAll(filepath.Dir(home), 0o700); err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(home), "."+filepath.Base(home)+".restoring-")
	if err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	m, err := restoreInto(ctx, tar.NewReader(dec), tmp, o, loadStore)
	if err == nil {
		err = moveInto(tmp, home)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return m, err
	}
	return m, nil
}

// checkEmpty refuses a home that exists and holds anything.
func checkEmpty(home string) error {
	entries, err := os.ReadDir(home)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("restore into %s: %w", home, err)
	case len(entries) > 0:
		return fmt.Errorf("restore into %s: it %w (it holds %s); nothing was changed", home, ErrHomeNotEmpty, entries[0].Name())
	}
	return nil
}

// moveInto renames tmp to home, which is missing or an empty directory.
func moveInto(tmp, home string) error {
	if err := os.Remove(home); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("restore into %s: %w", home, err)
	}
	if err := os.Rename(tmp, home); err != nil {
		return fmt.Errorf("restore into %s: %w", home, err)
	}
	return nil
}

// storeLoader loads the store's backup stream into dir's store, opened
// with the restored keys and configuration.
type storeLoader func(ctx context.Context, dir string, ks *keys.Set, cfg config.Config, stream io.Reader, log *slog.Logger) error

// loadStore is the storeLoader of a restore: a new store, store.Load.
func loadStore(ctx context.Context, dir string, ks *keys.Set, cfg config.Config, stream io.Reader, log *slog.Logger) error {
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, StoreDir), Key: ks.Store, HealthInterval: -1, Logger: log,
		IndexCacheBytes: int64(cfg.Store.IndexCacheMB) << 20, BlockCacheBytes: int64(cfg.Store.BlockCacheMB) << 20,
		MemTableBytes: int64(cfg.Store.MemTableMB) << 20})
	if err != nil {
		return err
	}
	lerr := st.Load(ctx, stream)
	if cerr := st.Close(); lerr == nil {
		lerr = cerr
	}
	return lerr
}

// restoreInto reads the archive into dir: the manifest, the home's files,
// the store (with load), the end.
func restoreInto(ctx context.Context, tr *tar.Reader, dir string, o RestoreOptions, load storeLoader) (Manifest, error) {
	if err := os.Chmod(dir, 0o700); err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	var m Manifest
	if err := readJSON(tr, manifestName, &m); err != nil {
		return m, err
	}
	if m.Format != Format {
		return m, fmt.Errorf("restore: %w: format %d; this kolo reads format %d (a newer kolo made it?)", ErrBadArchive, m.Format, Format)
	}
	for _, name := range HomeFiles {
		b, err := readEntry(tr, homePrefix+name, maxHomeFile)
		if err != nil {
			return m, err
		}
		if err := keys.WriteFile(filepath.Join(dir, name), b); err != nil {
			return m, fmt.Errorf("restore: %w", err)
		}
	}
	// The keys must be the manifest's node: the files came together.
	ks, err := keys.Read(ctx, dir, o.Passphrase)
	if err != nil {
		return m, fmt.Errorf("restore: the backup's key files: %w", err)
	}
	pid, err := peer.IDFromPrivateKey(ks.P2P)
	if err != nil || pid.String() != m.PeerID {
		return m, fmt.Errorf("restore: %w: its node.key is peer %s, its manifest says %s", ErrBadArchive, pid, m.PeerID)
	}
	cfg, err := config.Load(config.Options{Home: dir})
	if err != nil {
		return m, fmt.Errorf("restore: the backup's %s: %w", config.FileName, err)
	}
	if err := os.MkdirAll(cfg.PluginsDir(), 0o700); err != nil && filepath.IsLocal(cfg.Plugins.Dir) {
		return m, fmt.Errorf("restore: plugins directory: %w", err)
	}

	parts := &partReader{tr: tr}
	lerr := load(ctx, dir, ks, cfg, parts, o.Logger)
	if parts.err != nil {
		return m, parts.err
	}
	if lerr != nil {
		return m, fmt.Errorf("restore: %w", lerr)
	}
	var end End
	if err := readJSONAfter(tr, parts.next, endName, &end); err != nil {
		return m, err
	}
	if end.StoreParts != parts.n || end.StoreBytes != parts.bytes {
		return m, fmt.Errorf("restore: %w: the store has %d parts of %d bytes, the backup's end says %d of %d", ErrBadArchive, parts.n, parts.bytes, end.StoreParts, end.StoreBytes)
	}
	if h, err := tr.Next(); err != io.EOF {
		name := ""
		if h != nil {
			name = h.Name
		}
		return m, fmt.Errorf("restore: %w: something after its end (%q, %v)", ErrBadArchive, clip(name, 60), err)
	}
	return m, nil
}

// partReader reads the store's parts one after the other as one stream,
// and stops at the first entry that is not one (kept in next).
type partReader struct {
	tr    *tar.Reader
	cur   bool // inside a part
	next  *tar.Header
	n     int
	bytes int64
	err   error // what was wrong with the archive, not with the stream
	done  bool
}

func (p *partReader) Read(b []byte) (int, error) {
	for {
		if p.done {
			return 0, io.EOF
		}
		if p.cur {
			k, err := p.tr.Read(b)
			p.bytes += int64(k)
			if err == io.EOF {
				p.cur = false
				if k > 0 {
					return k, nil
				}
				continue
			}
			return k, err
		}
		h, err := p.tr.Next()
		if err == io.EOF {
			p.err = fmt.Errorf("restore: %w: it ends after store part %d, where %s should be", ErrBadArchive, p.n, endName)
			return 0, p.err
		}
		if err != nil {
			p.err = fmt.Errorf("restore: %w: after store part %d: %v", ErrBadArchive, p.n, err)
			return 0, p.err
		}
		if h.Name != partName(p.n+1) {
			p.next, p.done = h, true
			continue
		}
		if h.Typeflag != tar.TypeReg || h.Size <= 0 || h.Size > partBytes {
			p.err = fmt.Errorf("restore: %w: %s is a %d-byte entry, want 1..%d bytes", ErrBadArchive, h.Name, h.Size, partBytes)
			return 0, p.err
		}
		p.n++
		p.cur = true
	}
}

// readEntry reads the next entry, which must be called name, whole,
// within max bytes.
func readEntry(tr *tar.Reader, name string, max int64) ([]byte, error) {
	h, err := tr.Next()
	if err != nil {
		return nil, fmt.Errorf("restore: %w: where %s should be: %v", ErrBadArchive, name, err)
	}
	return readHeaderEntry(tr, h, name, max)
}

func readHeaderEntry(tr *tar.Reader, h *tar.Header, name string, max int64) ([]byte, error) {
	if h.Name != name {
		return nil, fmt.Errorf("restore: %w: found %q where %s should be", ErrBadArchive, clip(h.Name, 60), name)
	}
	if h.Typeflag != tar.TypeReg || h.Size < 0 || h.Size > max {
		return nil, fmt.Errorf("restore: %w: %s is a %d-byte entry, at most %d allowed", ErrBadArchive, name, h.Size, max)
	}
	var b bytes.Buffer
	if _, err := io.Copy(&b, io.LimitReader(tr, max)); err != nil {
		return nil, fmt.Errorf("restore: %w: %s: %v", ErrBadArchive, name, err)
	}
	return b.Bytes(), nil
}

func readJSON(tr *tar.Reader, name string, v any) error {
	b, err := readEntry(tr, name, maxJSON)
	if err != nil {
		return err
	}
	return decodeJSON(name, b, v)
}

// readJSONAfter reads the JSON entry name whose header h was read already
// (nil: read it now).
func readJSONAfter(tr *tar.Reader, h *tar.Header, name string, v any) error {
	if h == nil {
		return readJSON(tr, name, v)
	}
	b, err := readHeaderEntry(tr, h, name, maxJSON)
	if err != nil {
		return err
	}
	return decodeJSON(name, b, v)
}

func decodeJSON(name string, b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("restore: %w: %s: %v", ErrBadArchive, name, err)
	}
	return nil
}
