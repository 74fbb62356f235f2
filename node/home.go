package node

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/keys"
)

// InitOptions describe a new node.
type InitOptions struct {
	Home       string
	Org        string
	Country    string
	Passphrase string // if set, key files are encrypted with it (age scrypt)
	// Force re-initialises a home that already holds a node. Nothing is
	// deleted: the old configuration, keys and store are moved into
	// Home/replaced-<time>/, where the old keys still open the old store.
	Force bool
	// Config, if set, is written instead of the defaults (Node is still
	// taken from Org and Country). testnet uses it for loopback ports.
	Config *config.Config
}

// ErrHomeHoldsNode says that init found an existing node.
var ErrHomeHoldsNode = errors.New("already holds a kolo node")

// nodeFiles are what makes a directory a node's home.
var nodeFiles = append([]string{config.FileName, StoreDir}, append(keys.Files, keys.PublicFile)...)

// Init creates a node's home: the directory (0700), kolo.yaml, and the
// key files (0600). It returns the node's public identity.
func Init(o InitOptions) (keys.Public, error) {
	if err := config.CheckCountry(o.Country); err != nil {
		return keys.Public{}, fmt.Errorf("--country: %w", err)
	}
	c := config.Defaults()
	if o.Config != nil {
		c = *o.Config
	}
	c.Home = o.Home
	c.Node = config.Node{Org: o.Org, Country: o.Country}
	if err := c.Validate(); err != nil {
		return keys.Public{}, err
	}
	if err := os.MkdirAll(o.Home, 0o700); err != nil {
		return keys.Public{}, fmt.Errorf("create home: %w", err)
	}
	if err := os.Chmod(o.Home, 0o700); err != nil {
		return keys.Public{}, fmt.Errorf("home %s: %w", o.Home, err)
	}
	var existing []string
	for _, f := range nodeFiles {
		if _, err := os.Lstat(filepath.Join(o.Home, f)); err == nil {
			existing = append(existing, f)
		}
	}
	if len(existing) > 0 {
		if !o.Force {
			return keys.Public{}, fmt.Errorf("%s %w (found %v); use --force to start a new node there (the old one is moved aside, not deleted)", o.Home, ErrHomeHoldsNode, existing)
		}
		if err := moveAside(o.Home, existing); err != nil {
			return keys.Public{}, err
		}
	}
	ks, err := keys.Generate()
	if err != nil {
		return keys.Public{}, err
	}
	file, err := config.File(c)
	if err != nil {
		return keys.Public{}, err
	}
	if err := ks.Write(o.Home, o.Passphrase); err != nil {
		return keys.Public{}, err
	}
	if err := keys.WriteFile(filepath.Join(o.Home, config.FileName), file); err != nil {
		return keys.Public{}, err
	}
	if err := os.MkdirAll(c.PluginsDir(), 0o700); err != nil {
		return keys.Public{}, fmt.Errorf("plugins dir: %w", err)
	}
	return ks.Public()
}

// moveAside moves an existing node's files into a dated folder, refusing
// while a daemon holds the store.
func moveAside(home string, files []string) error {
	if _, err := os.Stat(filepath.Join(home, "daemon.json")); err == nil {
		return fmt.Errorf("%s: a daemon seems to run on this home (daemon.json present); stop it before --force", home)
	}
	dst := filepath.Join(home, "replaced-"+time.Now().UTC().Format("20060102T150405Z"))
	if err := os.Mkdir(dst, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("move old node aside: %w", err)
	}
	for _, f := range files {
		if err := os.Rename(filepath.Join(home, f), filepath.Join(dst, f)); err != nil {
			return fmt.Errorf("move old node aside: %w", err)
		}
	}
	return nil
}
