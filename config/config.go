// Package config holds a kolo node's configuration: the Config struct, its
// defaults, loading from the node's kolo.yaml, KOLO_* environment variables
// and command-line flags (through viper), and validation.
//
// Precedence, highest first: flags, KOLO_* environment variables, the file,
// defaults. Every key is documented in docs/config.md and in the comments
// of the kolo.yaml that `kolo init` writes. Unknown keys are an error: a
// typo in a sysadmin's file must not be silently ignored.
package config

import (
	"fmt"
	"path/filepath"
	"time"
)

// FileName is the configuration file inside a node's home directory.
const FileName = "kolo.yaml"

// Config is a node's effective configuration.
type Config struct {
	// Home is the node's directory; it is not a key of the file.
	Home string `mapstructure:"-" json:"-" yaml:"-"`
	// File is the configuration file that was read, if any.
	File string `mapstructure:"-" json:"-" yaml:"-"`

	Node    Node    `mapstructure:"node" json:"node"`
	Network Network `mapstructure:"network" json:"network"`
	API     API     `mapstructure:"api" json:"api"`
	Log     Log     `mapstructure:"log" json:"log"`
	Store   Store   `mapstructure:"store" json:"store"`
	Plugins Plugins `mapstructure:"plugins" json:"plugins"`
	Records Records `mapstructure:"records" json:"records"`
}

// Records configures how long monitoring records keep personal data.
type Records struct {
	// RetentionYears purges the personal and free-text answers of records
	// whose date is more than this many years ago (docs/records.md,
	// "Erasure and retention"); 0 keeps them until purged by hand.
	RetentionYears int `mapstructure:"retention_years" json:"retention_years"`
}

// Node says who runs this node.
type Node struct {
	Org     string `mapstructure:"org" json:"org"`         // organisation name, as it appears to the network
	Country string `mapstructure:"country" json:"country"` // ISO 3166-1 alpha-2, upper case
}

// Network configures the libp2p host.
type Network struct {
	Listen    []string `mapstructure:"listen" json:"listen"`       // multiaddrs to listen on
	Bootstrap []string `mapstructure:"bootstrap" json:"bootstrap"` // multiaddrs with /p2p/<peer id> of peers to dial at start
	NAT       NAT      `mapstructure:"nat" json:"nat"`
}

// NAT switches libp2p's ways of reaching peers from behind NAT.
type NAT struct {
	PortMapping  bool `mapstructure:"port_mapping" json:"port_mapping"`   // UPnP / NAT-PMP on the office router
	HolePunching bool `mapstructure:"hole_punching" json:"hole_punching"` // DCUtR hole punching
	RelayClient  bool `mapstructure:"relay_client" json:"relay_client"`   // circuit relay v2 client, with AutoRelay through bootstrap peers
	RelayService bool `mapstructure:"relay_service" json:"relay_service"` // offer relay v2 to other members (for a node with a public address)
}

// API configures the local HTTP API that the kolo commands use.
type API struct {
	Port int `mapstructure:"port" json:"port"` // on 127.0.0.1; 0 picks a free port
}

// Log configures the daemon's logs (standard error).
type Log struct {
	Level  string `mapstructure:"level" json:"level"`   // debug, info, warn, error
	Format string `mapstructure:"format" json:"format"` // text, json
}

// Store sizes the Badger store for the machine it runs on.
type Store struct {
	IndexCacheMB int `mapstructure:"index_cache_mb" json:"index_cache_mb"`
	BlockCacheMB int `mapstructure:"block_cache_mb" json:"block_cache_mb"`
	MemTableMB   int `mapstructure:"memtable_mb" json:"memtable_mb"`
}

// Plugins configures country-form plugins.
type Plugins struct {
	Dir         string        `mapstructure:"dir" json:"dir"`                   // external plugin executables; relative to home
	CallTimeout time.Duration `mapstructure:"call_timeout" json:"call_timeout"` // a plugin call taking longer is killed
}

// Default ports. Two nodes on one machine must set network.listen and
// api.port (0 picks a free port); `kolo testnet` does.
const (
	DefaultP2PPort = 4710
	DefaultAPIPort = 4711
)

// Defaults returns the configuration used for keys that no file, variable
// or flag sets.
func Defaults() Config {
	p := fmt.Sprint(DefaultP2PPort)
	return Config{
		Network: Network{
			Listen: []string{
				"/ip4/0.0.0.0/tcp/" + p,
				"/ip4/0.0.0.0/udp/" + p + "/quic-v1",
				"/ip6/::/tcp/" + p,
				"/ip6/::/udp/" + p + "/quic-v1",
			},
			Bootstrap: []string{},
			NAT:       NAT{PortMapping: true, HolePunching: true, RelayClient: true},
		},
		API:     API{Port: DefaultAPIPort},
		Log:     Log{Level: "info", Format: "text"},
		Store:   Store{IndexCacheMB: 16, BlockCacheMB: 16, MemTableMB: 16},
		Plugins: Plugins{Dir: "plugins", CallTimeout: 10 * time.Second},
	}
}

// PluginsDir returns the plugins directory, resolved against Home.
func (c Config) PluginsDir() string {
	if filepath.IsAbs(c.Plugins.Dir) {
		return c.Plugins.Dir
	}
	return filepath.Join(c.Home, c.Plugins.Dir)
}
