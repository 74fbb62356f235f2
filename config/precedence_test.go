package config_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/spf13/pflag"
)

// value is one value of a key in each of the forms a source gives it.
type value struct {
	file any    // as written in kolo.yaml
	text string // as a KOLO_* variable or a flag
	want any    // as Config holds it
}

// keyValues gives, for one key, two values: a differs from the default, b
// differs from a.
type keyValues struct {
	key  string
	get  func(config.Config) any
	a, b value
}

func str(s string) value { return value{s, s, s} }

func boolean(b bool) value {
	if b {
		return value{true, "true", true}
	}
	return value{false, "false", false}
}

func num(n int, text string) value { return value{n, text, n} }

func dur(text string, d time.Duration) value { return value{text, text, d} }

func list(xs ...string) value { return value{xs, strings.Join(xs, ","), xs} }

var allKeys = []keyValues{
	{"node.org", func(c config.Config) any { return c.Node.Org }, str("Org A"), str("Org B, Novi Sad")},
	{"node.country", func(c config.Config) any { return c.Node.Country }, str("HR"), str("BA")},
	{"network.listen", func(c config.Config) any { return c.Network.Listen },
		list("/ip4/127.0.0.1/tcp/1001"),
		list("/ip4/127.0.0.1/tcp/1002", "/ip4/127.0.0.1/udp/1002/quic-v1")},
	{"network.bootstrap", func(c config.Config) any { return c.Network.Bootstrap },
		list("/ip4/192.0.2.1/tcp/4710/p2p/" + peerA),
		list("/ip4/192.0.2.2/tcp/4710/p2p/"+peerB, "/dns4/kolo.example.org/udp/4710/quic-v1/p2p/"+peerC)},
	{"network.nat.port_mapping", func(c config.Config) any { return c.Network.NAT.PortMapping }, boolean(false), boolean(true)},
	{"network.nat.hole_punching", func(c config.Config) any { return c.Network.NAT.HolePunching }, boolean(false), boolean(true)},
	{"network.nat.relay_client", func(c config.Config) any { return c.Network.NAT.RelayClient }, boolean(false), boolean(true)},
	{"network.nat.relay_service", func(c config.Config) any { return c.Network.NAT.RelayService }, boolean(true), boolean(false)},
	{"api.port", func(c config.Config) any { return c.API.Port }, num(4801, "4801"), num(0, "0")},
	{"log.level", func(c config.Config) any { return c.Log.Level }, str("debug"), str("warn")},
	{"log.format", func(c config.Config) any { return c.Log.Format }, str("json"), str("text")},
	{"store.index_cache_mb", func(c config.Config) any { return c.Store.IndexCacheMB }, num(32, "32"), num(8, "8")},
	{"store.block_cache_mb", func(c config.Config) any { return c.Store.BlockCacheMB }, num(64, "64"), num(4, "4")},
	{"store.memtable_mb", func(c config.Config) any { return c.Store.MemTableMB }, num(8, "8"), num(32, "32")},
	{"plugins.dir", func(c config.Config) any { return c.Plugins.Dir }, str("/opt/kolo/plugins"), str("forms")},
	{"plugins.call_timeout", func(c config.Config) any { return c.Plugins.CallTimeout }, dur("30s", 30*time.Second), dur("1m30s", 90*time.Second)},
	{"query.allow_roles", func(c config.Config) any { return c.Query.AllowRoles }, list("analyst"), list("partner", "associate")},
	{"query.allow_requesters", func(c config.Config) any { return c.Query.AllowRequesters }, list(peerA), list("ASTRA", peerB)},
	{"query.allow_kinds", func(c config.Config) any { return c.Query.AllowKinds }, list("judgment"), list("police_case", "engagement")},
	{"query.max_per_day", func(c config.Config) any { return c.Query.MaxPerDay }, num(50, "50"), num(7, "7")},
	{"query.nfilter_tab", func(c config.Config) any { return c.Query.NFilterTab }, num(11, "11"), num(3, "3")},
	{"query.nfilter_subset", func(c config.Config) any { return c.Query.NFilterSubset }, num(10, "10"), num(4, "4")},
	{"query.noise.mode", func(c config.Config) any { return c.Query.Noise.Mode }, str("on_request"), str("always")},
	{"query.noise.epsilon", func(c config.Config) any { return c.Query.Noise.Epsilon }, number(0.5, "0.5"), number(0.25, "0.25")},
	{"query.noise.max_epsilon", func(c config.Config) any { return c.Query.Noise.MaxEpsilon }, number(2, "2"), number(1.5, "1.5")},
	{"query.noise.budget", func(c config.Config) any { return c.Query.Noise.Budget }, number(20, "20"), number(5, "5")},
	{"query.noise.period", func(c config.Config) any { return c.Query.Noise.Period }, str("year"), str("day")},
	{"query.max_bytes", func(c config.Config) any { return c.Query.MaxBytes }, num(2048, "2048"), num(512, "512")},
	{"query.max_groups", func(c config.Config) any { return c.Query.MaxGroups }, num(3, "3"), num(5, "5")},
	{"query.max_nesting", func(c config.Config) any { return c.Query.MaxNesting }, num(4, "4"), num(8, "8")},
	{"records.retention_years", func(c config.Config) any { return c.Records.RetentionYears }, num(10, "10"), num(5, "5")},
	{"ui.enabled", func(c config.Config) any { return c.UI.Enabled }, boolean(false), boolean(true)},
	{"ui.remote.listen", func(c config.Config) any { return c.UI.Remote.Listen }, str("0.0.0.0:8443"), str("192.168.1.20:9443")},
	{"ui.remote.tls_cert", func(c config.Config) any { return c.UI.Remote.TLSCert }, str("ui.crt"), str("/etc/kolo/ui.pem")},
	{"ui.remote.tls_key", func(c config.Config) any { return c.UI.Remote.TLSKey }, str("ui.key"), str("/etc/kolo/ui-key.pem")},
	{"ui.remote.hosts", func(c config.Config) any { return c.UI.Remote.Hosts }, list("kolo.office.lan"), list("192.168.1.20", "kolo")},
}

func number(f float64, text string) value { return value{f, text, f} }

func TestAllKeysCoversKeys(t *testing.T) {
	t.Parallel()
	var names []string
	for _, k := range allKeys {
		names = append(names, k.key)
	}
	if !slices.Equal(names, config.Keys()) {
		t.Fatalf("the test's keys %v differ from config.Keys() %v", names, config.Keys())
	}
}

// flagName is the test's flag for key: network.nat.port_mapping is --network-nat-port_mapping.
func flagName(key string) string { return strings.ReplaceAll(key, ".", "-") }

// testFlags defines a flag for every key, with types as a command would
// choose them (lists as StringSlice, api.port as Int), each with a
// default that must not override anything while the flag is not set.
func testFlags() (*pflag.FlagSet, map[string]string) {
	fs := pflag.NewFlagSet("kolo run", pflag.ContinueOnError)
	keys := map[string]string{}
	for _, k := range config.Keys() {
		name := flagName(k)
		switch k {
		case "network.listen", "network.bootstrap":
			fs.StringSlice(name, []string{"/ip4/127.0.0.1/tcp/9"}, "")
		case "api.port":
			fs.Int(name, 9, "")
		default:
			fs.String(name, "unset-flag-default", "")
		}
		keys[name] = k
	}
	return fs, keys
}

// layers is where a value can come from, lowest first.
const (
	layerDefault = iota
	layerFile
	layerEnv
	layerFlag
)

var layerNames = []string{"default", "file", "env", "flag"}

// TestPrecedence sets every key in two layers with different values, for
// every pair of layers, and expects the higher one to win: flags > KOLO_*
// variables > file > defaults.
func TestPrecedence(t *testing.T) {
	t.Parallel()
	pairs := [][2]int{
		{layerDefault, layerFile},
		{layerDefault, layerEnv},
		{layerDefault, layerFlag},
		{layerFile, layerEnv},
		{layerFile, layerFlag},
		{layerEnv, layerFlag},
	}
	for _, pair := range pairs {
		lower, upper := pair[0], pair[1]
		t.Run(layerNames[upper]+"_over_"+layerNames[lower], func(t *testing.T) {
			t.Parallel()
			for _, k := range allKeys {
				t.Run(k.key, func(t *testing.T) {
					t.Parallel()
					// node.org and node.country have no defaults; the file
					// gives them unless they are the key under test.
					file := map[string]any{"node.org": "Astra", "node.country": "RS"}
					delete(file, k.key)
					env := map[string]string{}
					fs, flagKeys := testFlags()
					set := func(layer int, v value) {
						switch layer {
						case layerFile:
							file[k.key] = v.file
						case layerEnv:
							env[config.EnvName(k.key)] = v.text
						case layerFlag:
							if err := fs.Set(flagName(k.key), v.text); err != nil {
								t.Fatal(err)
							}
						}
					}
					want := k.a.want
					if lower == layerDefault {
						set(upper, k.a)
					} else {
						set(lower, k.a)
						set(upper, k.b)
						want = k.b.want
					}
					home := writeHome(t, yamlOf(t, file))
					c, err := config.Load(config.Options{Home: home, Flags: fs, FlagKeys: flagKeys, Getenv: envOf(env)})
					if err != nil {
						t.Fatalf("Load: %v\nfile:\n%s\nenv: %v", err, yamlOf(t, file), env)
					}
					if got := k.get(c); !reflect.DeepEqual(got, want) {
						t.Errorf("%s = %#v, want %#v (from %s)", k.key, got, want, layerNames[upper])
					}
				})
			}
		})
	}
}

// TestDefaultsWhereUnset checks that a file with only node.org and
// node.country gives the defaults for every other key, and that unset
// flags and empty variables change nothing.
func TestDefaultsWhereUnset(t *testing.T) {
	t.Parallel()
	home := writeHome(t, baseYAML)
	fs, flagKeys := testFlags()
	env := map[string]string{}
	for _, k := range config.Keys() {
		env[config.EnvName(k)] = "" // empty means unset
	}
	got, err := config.Load(config.Options{Home: home, Flags: fs, FlagKeys: flagKeys, Getenv: envOf(env)})
	if err != nil {
		t.Fatal(err)
	}
	want := config.Defaults()
	want.Home = home
	want.File = filepath.Join(home, config.FileName)
	want.Node = config.Node{Org: "Astra", Country: "RS"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load =\n%+v\nwant\n%+v", got, want)
	}
}

func TestEnvName(t *testing.T) {
	t.Parallel()
	for key, want := range map[string]string{
		"api.port":                 "KOLO_API_PORT",
		"network.nat.port_mapping": "KOLO_NETWORK_NAT_PORT_MAPPING",
		"store.memtable_mb":        "KOLO_STORE_MEMTABLE_MB",
	} {
		if got := config.EnvName(key); got != want {
			t.Errorf("EnvName(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestTextValues: a port given as text is decimal, whatever its
// leading zeros; a list given as text splits on commas and spaces.
func TestTextValues(t *testing.T) {
	t.Parallel()
	home := writeHome(t, baseYAML)
	c, err := config.Load(config.Options{Home: home, Getenv: envOf(map[string]string{
		"KOLO_API_PORT":       " 0010 ",
		"KOLO_NETWORK_LISTEN": "/ip4/127.0.0.1/tcp/1, /ip4/127.0.0.1/tcp/2\n/ip4/127.0.0.1/tcp/3",
	})})
	if err != nil {
		t.Fatal(err)
	}
	if c.API.Port != 10 {
		t.Errorf("KOLO_API_PORT=0010 gave port %d, want 10", c.API.Port)
	}
	want := []string{"/ip4/127.0.0.1/tcp/1", "/ip4/127.0.0.1/tcp/2", "/ip4/127.0.0.1/tcp/3"}
	if !slices.Equal(c.Network.Listen, want) {
		t.Errorf("listen = %q, want %q", c.Network.Listen, want)
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	c := config.Defaults()
	var names []string
	for _, s := range config.Settings(c) {
		names = append(names, s.Key)
		if s.Key == "plugins.call_timeout" && s.Value != "10s" {
			t.Errorf("plugins.call_timeout setting = %#v, want \"10s\"", s.Value)
		}
		if s.Key == "api.port" && s.Value != config.DefaultAPIPort {
			t.Errorf("api.port setting = %#v, want %d", s.Value, config.DefaultAPIPort)
		}
	}
	if !slices.Equal(names, config.Keys()) {
		t.Errorf("Settings keys %v, want %v", names, config.Keys())
	}
}

func TestPluginsDir(t *testing.T) {
	t.Parallel()
	c := config.Defaults()
	c.Home = "/srv/kolo"
	if got := c.PluginsDir(); got != "/srv/kolo/plugins" {
		t.Errorf("relative: PluginsDir = %q", got)
	}
	c.Plugins.Dir = "/opt/forms"
	if got := c.PluginsDir(); got != "/opt/forms" {
		t.Errorf("absolute: PluginsDir = %q", got)
	}
}
