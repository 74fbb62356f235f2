package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/config"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// TestUnknownKeys: a key the configuration does not have is an error that
// names it, the file, and the keys allowed at that place.
func TestUnknownKeys(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml, key string
		allowed         []string
	}{
		{"top level", "colour: blue\n", "colour", []string{"node, network, api, log, store, plugins"}},
		{"nested", "api:\n  prot: 4711\n", "api.prot", []string{"allowed here: port"}},
		{"typo in store", "store:\n  memtable: 8\n", "store.memtable", []string{"index_cache_mb, block_cache_mb, memtable_mb"}},
		{"under network.nat", "network:\n  nat:\n    upnp: true\n", "network.nat.upnp", []string{"port_mapping, hole_punching, relay_client, relay_service"}},
		{"upper case", "API:\n  port: 1\n", "API", []string{"node, network, api"}},
		{"dotted name", "api.port: 4801\n", "api.port", []string{"nested sections", "node, network, api"}},
		{"dotted name in section", "network:\n  nat.port_mapping: false\n", "network.nat.port_mapping", []string{"listen, bootstrap, nat"}},
		{"section given a value", "network:\n  nat: true\n", "network.nat", []string{"section", "port_mapping, hole_punching, relay_client, relay_service"}},
		{"section given a list", "log: [debug]\n", "log", []string{"section", "level, format"}},
		{"section with number keys", "api:\n  1: 2\n", "api", []string{"section", "port"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			home := writeHome(t, baseYAML+tc.yaml)
			_, err := config.Load(config.Options{Home: home, Getenv: noEnv})
			wantError(t, err, tc.key, "file "+filepath.Join(home, config.FileName), tc.allowed...)
		})
	}
}

// TestWrongTypes: a value of the wrong type names the key, where it came
// from, and the type wanted.
func TestWrongTypes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml, key, want string
	}{
		{"port as text", "api:\n  port: abc\n", "api.port", "whole number"},
		{"port as fraction", "api:\n  port: 8.5\n", "api.port", "whole number"},
		{"port as list", "api:\n  port: [4711, 4712]\n", "api.port", "whole number"},
		{"port as section", "api:\n  port: {a: 1}\n", "api.port", "whole number"},
		{"port too big for int", "api:\n  port: 1e20\n", "api.port", "whole number"},
		{"level as list", "log:\n  level: [debug, info]\n", "log.level", "single text value"},
		{"format as section", "log:\n  format: {a: b}\n", "log.format", "single text value"},
		{"timeout soon", "plugins:\n  call_timeout: soon\n", "plugins.call_timeout", "duration such as 10s"},
		{"nat not a bool", "network:\n  nat:\n    port_mapping: maybe\n", "network.nat.port_mapping", "true or false"},
		{"listen as section", "network:\n  listen: {a: b}\n", "network.listen", "list of text values"},
		{"listen nested list", "network:\n  listen: [[a]]\n", "network.listen", "list of text values"},
		{"memtable as text", "store:\n  memtable_mb: lots\n", "store.memtable_mb", "whole number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			home := writeHome(t, baseYAML+tc.yaml)
			_, err := config.Load(config.Options{Home: home, Getenv: noEnv})
			wantError(t, err, tc.key, "file "+filepath.Join(home, config.FileName), tc.want)
		})
	}
}

// source is where a bad value is put: the file, a KOLO_* variable or a flag.
type source int

const (
	inFile source = iota
	inEnv
	inFlag
)

// loadWith loads a home whose file sets node.org and node.country and,
// for inFile, key to raw (YAML); for inEnv and inFlag, raw is the variable's or the flag's
// text. It returns the error and the source the error must name.
func loadWith(t *testing.T, where source, key, raw string) (error, string) {
	t.Helper()
	kv := map[string]any{"node.org": "Astra", "node.country": "RS"}
	if where == inFile {
		var v any
		if err := yaml.Unmarshal([]byte(raw), &v); err != nil {
			t.Fatal(err)
		}
		kv[key] = v
	}
	content := yamlOf(t, kv)
	home := writeHome(t, content)
	opts := config.Options{Home: home, Getenv: noEnv}
	src := "file " + filepath.Join(home, config.FileName)
	switch where {
	case inEnv:
		opts.Getenv = envOf(map[string]string{config.EnvName(key): raw})
		src = "environment " + config.EnvName(key)
	case inFlag:
		// As kolo run defines them: plain text flags.
		fs := pflag.NewFlagSet("kolo run", pflag.ContinueOnError)
		name := flagName(key)
		fs.String(name, "", "")
		if err := fs.Parse([]string{"--" + name + "=" + raw}); err != nil {
			t.Fatal(err)
		}
		opts.Flags, opts.FlagKeys = fs, map[string]string{name: key}
		src = "flag --" + name
	}
	_, err := config.Load(opts)
	return err, src
}

// TestWrongTypesFromEnvAndFlags: text that does not convert names the
// variable or the flag it came from.
func TestWrongTypesFromEnvAndFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		where    source
		key, raw string
		want     string
	}{
		{"port env", inEnv, "api.port", "abc", "whole number"},
		{"port env fraction", inEnv, "api.port", "8.5", "whole number"},
		{"port env hex", inEnv, "api.port", "0x10", "whole number"},
		{"port flag", inFlag, "api.port", "abc", "whole number"},
		{"nat env", inEnv, "network.nat.hole_punching", "maybe", "true or false"},
		{"timeout env", inEnv, "plugins.call_timeout", "soon", "duration"},
		{"timeout flag", inFlag, "plugins.call_timeout", "10 seconds", "duration"},
		{"memtable flag", inFlag, "store.memtable_mb", "16MB", "whole number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err, src := loadWith(t, tc.where, tc.key, tc.raw)
			wantError(t, err, tc.key, src, tc.want)
		})
	}
}

// TestBadValues: values of the right type that are not allowed name the
// key, where they came from, and what is allowed.
func TestBadValues(t *testing.T) {
	t.Parallel()
	const countryRule = "ISO 3166-1 alpha-2"
	cases := []struct {
		name     string
		where    source
		key, raw string
		want     string
	}{
		{"port 70000 file", inFile, "api.port", "70000", "0..65535"},
		{"port -1 file", inFile, "api.port", "-1", "0..65535"},
		{"port -1 env", inEnv, "api.port", "-1", "0..65535"},
		{"port 70000 flag", inFlag, "api.port", "70000", "0..65535"},
		{"country ZZ", inFile, "node.country", "ZZ", countryRule},
		{"country lower case", inFile, "node.country", "rs", countryRule},
		{"country UK", inFile, "node.country", "UK", countryRule},
		{"country SRB", inFile, "node.country", "SRB", countryRule},
		{"country empty", inFile, "node.country", `""`, countryRule},
		{"country CS", inFile, "node.country", "CS", countryRule},
		{"country ZZ env", inEnv, "node.country", "ZZ", countryRule},
		{"country UK flag", inFlag, "node.country", "UK", countryRule},
		{"org empty", inFile, "node.org", `"  "`, "must name the organisation"},
		{"org too long", inFile, "node.org", strings.Repeat("x", 201), "at most 200 bytes"},
		{"listen not a multiaddr", inFile, "network.listen", `["0.0.0.0:4710"]`, "not a multiaddr"},
		{"listen bad ip", inFile, "network.listen", `["/ip4/999.0.0.1/tcp/4710"]`, "not a multiaddr"},
		{"listen bad port", inFile, "network.listen", `["/ip4/0.0.0.0/tcp/70000"]`, "not a multiaddr"},
		{"listen bad env", inEnv, "network.listen", "/ip4/0.0.0.0/tcp/1,tcp:4710", "tcp:4710"},
		{"listen bad flag", inFlag, "network.listen", "/ip4/0.0.0.0/udp/x/quic-v1", "not a multiaddr"},
		{"bootstrap without p2p", inFile, "network.bootstrap", `["/ip4/192.0.2.1/tcp/4710"]`, "/p2p/<peer id>"},
		{"bootstrap without p2p env", inEnv, "network.bootstrap", "/dns4/kolo.example.org/tcp/4710", "/p2p/<peer id>"},
		{"bootstrap peer id not last", inFile, "network.bootstrap", `["/ip4/192.0.2.1/tcp/4710/p2p/` + peerA + `/p2p-circuit"]`, "must end in /p2p/<peer id>"},
		{"bootstrap bad peer id", inFile, "network.bootstrap", `["/ip4/192.0.2.1/tcp/4710/p2p/notapeer"]`, "not a multiaddr"},
		{"level verbose", inFile, "log.level", "verbose", "debug, info, warn, error"},
		{"level verbose flag", inFlag, "log.level", "verbose", "debug, info, warn, error"},
		{"format xml", inEnv, "log.format", "xml", "text or json"},
		{"memtable 0", inFile, "store.memtable_mb", "0", "1..4096"},
		{"index cache too big", inFile, "store.index_cache_mb", "5000", "1..4096"},
		{"block cache negative", inEnv, "store.block_cache_mb", "-16", "1..4096"},
		{"plugins dir empty", inFile, "plugins.dir", `""`, "must name a directory"},
		{"timeout too short", inFile, "plugins.call_timeout", "1ms", "between 100ms and 10m"},
		{"timeout bare number", inFile, "plugins.call_timeout", "10", "has no unit"},
		{"timeout too long", inEnv, "plugins.call_timeout", "1h", "between 100ms and 10m"},
		{"ui listen without port", inFile, "ui.remote.listen", "0.0.0.0", "must be host:port"},
		{"ui listen port 70000", inEnv, "ui.remote.listen", "0.0.0.0:70000", "port must be 0..65535"},
		{"ui listen on a name", inFile, "ui.remote.listen", "kolo.lan:8443", "give an IP address"},
		{"ui host with scheme", inFile, "ui.remote.hosts", `["https://kolo.lan"]`, "not a host name or IP address"},
		{"ui host with port", inEnv, "ui.remote.hosts", "kolo.lan:8443", "not a host name or IP address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err, src := loadWith(t, tc.where, tc.key, tc.raw)
			wantError(t, err, tc.key, src, tc.want)
		})
	}
}

// TestMissingOrg: a file without node.org fails on node.org, from the defaults.
func TestMissingOrg(t *testing.T) {
	t.Parallel()
	home := writeHome(t, "node:\n  country: RS\n")
	_, err := config.Load(config.Options{Home: home, Getenv: noEnv})
	wantError(t, err, "node.org", "default", "must name the organisation")
}

func TestValidateInCode(t *testing.T) {
	t.Parallel()
	c := config.Defaults()
	c.Node = config.Node{Org: "Astra", Country: "RS"}
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults with org and country: %v", err)
	}
	c.API.Port = 65536
	wantError(t, c.Validate(), "api.port", "value", "0..65535")
}

func TestCheckCountry(t *testing.T) {
	t.Parallel()
	for _, cc := range []string{"RS", "HR", "BA", "MK", "AL", "ME", "XK", "SI", "BG", "RO", "GR", "GB", "FR", "NL", "DE", "AQ"} {
		if err := config.CheckCountry(cc); err != nil {
			t.Errorf("CheckCountry(%q) = %v, want nil", cc, err)
		}
	}
	for _, cc := range []string{"ZZ", "rs", "Rs", "UK", "SRB", "", "R", " RS", "EU", "UN", "QO", "XA", "AA",
		"CS", "YU", "SU", "DD", "FX", "ZR", "EZ", "AC", "12", "ÖS"} {
		err := config.CheckCountry(cc)
		if err == nil {
			t.Errorf("CheckCountry(%q) = nil, want an error", cc)
			continue
		}
		if !strings.Contains(err.Error(), "ISO 3166-1 alpha-2") || !strings.Contains(err.Error(), "RS") {
			t.Errorf("CheckCountry(%q) = %q: does not say what is allowed", cc, err)
		}
	}
}

// TestFileProblems: the file missing, too big, not YAML.
func TestFileProblems(t *testing.T) {
	t.Parallel()

	t.Run("no home", func(t *testing.T) {
		t.Parallel()
		_, err := config.Load(config.Options{Getenv: noEnv})
		if err == nil || !strings.Contains(err.Error(), "--home") {
			t.Errorf("Load without home: %v", err)
		}
	})

	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		_, err := config.Load(config.Options{Home: home, Getenv: noEnv})
		path := filepath.Join(home, config.FileName)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "kolo init") {
			t.Errorf("Load of a home without %s: %v; want an error naming %s and kolo init", config.FileName, err, path)
		}
	})

	t.Run("a directory", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		path := filepath.Join(home, config.FileName)
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
		_, err := config.Load(config.Options{Home: home, Getenv: noEnv})
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("Load of a directory %s: %v", path, err)
		}
	})

	t.Run("oversized", func(t *testing.T) {
		t.Parallel()
		// A valid file padded with a comment past the limit.
		home := writeHome(t, baseYAML+"#"+strings.Repeat("x", config.MaxFileSize)+"\n")
		_, err := config.Load(config.Options{Home: home, Getenv: noEnv})
		wantError(t, err, "", "file "+filepath.Join(home, config.FileName), "more than the 1048576 allowed")
	})

	t.Run("link to an endless file", func(t *testing.T) {
		t.Parallel()
		// kolo runs on Linux (and Unix), where /dev/zero always exists.
		home := t.TempDir()
		path := filepath.Join(home, config.FileName)
		if err := os.Symlink("/dev/zero", path); err != nil {
			t.Fatal(err)
		}
		_, err := config.Load(config.Options{Home: home, Getenv: noEnv})
		wantError(t, err, "", "file "+path, "more than the 1048576 allowed")
	})

	for _, tc := range []struct{ name, content string }{
		{"unclosed list", "node: [\n"},
		{"tab indent", "node:\n\torg: Astra\n"},
		{"a list, not sections", "- node\n- api\n"},
		{"a scalar", "just text\n"},
		{"duplicate key", baseYAML + "node:\n  org: B\n"},
		{"bad alias", "node: *nowhere\n"},
	} {
		t.Run("invalid yaml/"+tc.name, func(t *testing.T) {
			t.Parallel()
			home := writeHome(t, tc.content)
			_, err := config.Load(config.Options{Home: home, Getenv: noEnv})
			wantError(t, err, "", "file "+filepath.Join(home, config.FileName), "not valid YAML")
		})
	}

	t.Run("empty file", func(t *testing.T) {
		t.Parallel()
		// Valid YAML, but node.org and node.country have no default.
		home := writeHome(t, "")
		_, err := config.Load(config.Options{Home: home, Getenv: noEnv})
		wantError(t, err, "node.org", "default")
	})
}

// TestErrorText pins the shape of the message a sysadmin sees.
func TestErrorText(t *testing.T) {
	t.Parallel()
	e := &config.Error{Key: "api.port", Source: "environment KOLO_API_PORT", Problem: "must be 0..65535"}
	if got, want := e.Error(), "config key api.port (environment KOLO_API_PORT): must be 0..65535"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = &config.Error{Source: "file /x/kolo.yaml", Problem: "not valid YAML"}
	if got, want := e.Error(), "config file /x/kolo.yaml: not valid YAML"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var target *config.Error
	if !errors.As(error(e), &target) {
		t.Error("errors.As does not find *config.Error")
	}
}

// TestUnknownVariables: a KOLO_* variable that sets no key is refused as
// an unknown key in the file is, naming it and the variables there are;
// KOLO_HOME, KOLO_PASSPHRASE and an empty variable are not.
func TestUnknownVariables(t *testing.T) {
	t.Parallel()
	home := writeHome(t, baseYAML)
	load := func(env ...string) error {
		_, err := config.Load(config.Options{Home: home, Getenv: noEnv, Environ: func() []string { return env }})
		return err
	}
	for _, v := range []string{"KOLO_API_PROT=4801", "KOLO_LOG=debug", "KOLO_NETWORK_NAT=false", "KOLO_network_listen=/ip4/0.0.0.0/tcp/1"} {
		err := load("PATH=/bin", v, "KOLO_HOME="+home)
		name, _, _ := strings.Cut(v, "=")
		wantError(t, err, "", "environment "+name, "no configuration key has this variable", "KOLO_API_PORT", "KOLO_PLUGINS_CALL_TIMEOUT", "KOLO_HOME and KOLO_PASSPHRASE")
	}
	if err := load("KOLO_HOME="+home, "KOLO_PASSPHRASE=x", "KOLO_API_PORT=4801", "KOLO_UNUSED=", "KOLOX=1", "KOLO_FORMS_PLUGIN=x"); err != nil {
		t.Errorf("known and empty variables refused: %v", err)
	}
}

// TestDurationWithoutUnit: a duration written as a bare number says that
// its unit is missing, wherever it comes from, instead of being read as
// nanoseconds.
func TestDurationWithoutUnit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		yaml, env, source string
	}{
		{"plugins:\n  call_timeout: 10\n", "", "file"},
		{"plugins:\n  call_timeout: 1.5\n", "", "file"},
		{"plugins:\n  call_timeout: \"30\"\n", "", "file"},
		{"", "10", "environment KOLO_PLUGINS_CALL_TIMEOUT"},
	} {
		home := writeHome(t, baseYAML+c.yaml)
		_, err := config.Load(config.Options{Home: home, Getenv: envOf(map[string]string{"KOLO_PLUGINS_CALL_TIMEOUT": c.env})})
		source := c.source
		if source == "file" {
			source = "file " + filepath.Join(home, config.FileName)
		}
		wantError(t, err, "plugins.call_timeout", source, "has no unit", "such as 10s")
	}
	home := writeHome(t, baseYAML+"plugins:\n  call_timeout: 1m30s\n")
	if c, err := config.Load(config.Options{Home: home, Getenv: noEnv}); err != nil || c.Plugins.CallTimeout.String() != "1m30s" {
		t.Errorf("1m30s: %v, %v", c.Plugins.CallTimeout, err)
	}
}
