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
	Query   Query   `mapstructure:"query" json:"query"`
	Records Records `mapstructure:"records" json:"records"`
	UI      UI      `mapstructure:"ui" json:"ui"`
}

// UI configures the node's web interface (docs/ui.md). It is served on
// the local API's address, 127.0.0.1 only; Remote adds a TLS listener for
// the other machines of an office network.
type UI struct {
	Enabled bool     `mapstructure:"enabled" json:"enabled"` // serve /ui/ on the local API's address
	Remote  UIRemote `mapstructure:"remote" json:"remote"`
}

// UIRemote is the web interface's listener for other machines: TLS only,
// /ui/ only (never the bearer-token API), off unless Listen is set.
type UIRemote struct {
	Listen  string   `mapstructure:"listen" json:"listen"`     // host:port, e.g. 0.0.0.0:8443; "" is off
	TLSCert string   `mapstructure:"tls_cert" json:"tls_cert"` // PEM certificate (chain); relative to home
	TLSKey  string   `mapstructure:"tls_key" json:"tls_key"`   // PEM private key; relative to home
	Hosts   []string `mapstructure:"hosts" json:"hosts"`       // names the browser may use in the Host header
}

// Query is this node's policy for federated queries: who may ask it what
// (as a vantage6 node policy does), the disclosure control it applies to
// what it releases (DataSHIELD's nfilter.tab and nfilter.subset), optional
// noise, and how large a query may be. docs/privacy.md says how to choose.
type Query struct {
	AllowRoles      []string   `mapstructure:"allow_roles" json:"allow_roles"`           // roles whose members may ask
	AllowRequesters []string   `mapstructure:"allow_requesters" json:"allow_requesters"` // peer IDs or organisations; empty: any member with an allowed role
	AllowKinds      []string   `mapstructure:"allow_kinds" json:"allow_kinds"`           // record kinds answered about; empty: all
	MaxPerDay       int        `mapstructure:"max_per_day" json:"max_per_day"`           // queries one member may ask per UTC day
	NFilterTab      int        `mapstructure:"nfilter_tab" json:"nfilter_tab"`           // minimum cell count k
	NFilterSubset   int        `mapstructure:"nfilter_subset" json:"nfilter_subset"`     // the subset rule's k; 0: nfilter_tab
	Noise           QueryNoise `mapstructure:"noise" json:"noise"`
	MaxBytes        int        `mapstructure:"max_bytes" json:"max_bytes"`     // longest query text
	MaxGroups       int        `mapstructure:"max_groups" json:"max_groups"`   // most groups after "by"
	MaxNesting      int        `mapstructure:"max_nesting" json:"max_nesting"` // deepest nesting in a where
}

// QueryNoise configures discrete Laplace noise on released figures.
type QueryNoise struct {
	Mode       string  `mapstructure:"mode" json:"mode"`               // off, on_request, always
	Epsilon    float64 `mapstructure:"epsilon" json:"epsilon"`         // ε a query spends when it does not say
	MaxEpsilon float64 `mapstructure:"max_epsilon" json:"max_epsilon"` // most ε one query may spend
	Budget     float64 `mapstructure:"budget" json:"budget"`           // ε each requester may spend per period
	Period     string  `mapstructure:"period" json:"period"`           // day, month, year
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
		UI:      UI{Enabled: true, Remote: UIRemote{Hosts: []string{}}},
		Query: Query{
			AllowRoles: []string{"analyst", "partner"}, AllowRequesters: []string{}, AllowKinds: []string{},
			MaxPerDay: 200, NFilterTab: 5, NFilterSubset: 0,
			Noise:    QueryNoise{Mode: "off", Epsilon: 1, MaxEpsilon: 1, Budget: 10, Period: "month"},
			MaxBytes: 1024, MaxGroups: 4, MaxNesting: 6,
		},
	}
}

// InHome resolves a path of the configuration against Home ("" stays "").
func (c Config) InHome(path string) string {
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(c.Home, path)
}

// PluginsDir returns the plugins directory, resolved against Home.
func (c Config) PluginsDir() string {
	if filepath.IsAbs(c.Plugins.Dir) {
		return c.Plugins.Dir
	}
	return filepath.Join(c.Home, c.Plugins.Dir)
}
