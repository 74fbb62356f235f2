package config_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/config"
	"go.yaml.in/yaml/v3"
)

// loadBack writes File(c) into a new home and loads it with an empty
// environment.
func loadBack(t *testing.T, c config.Config) (config.Config, []byte) {
	t.Helper()
	b, err := config.File(c)
	if err != nil {
		t.Fatal(err)
	}
	home := writeHome(t, string(b))
	got, err := config.Load(config.Options{Home: home, Getenv: noEnv})
	if err != nil {
		t.Fatalf("Load of File's output: %v\n%s", err, b)
	}
	if got.Home != home || got.File != filepath.Join(home, config.FileName) {
		t.Errorf("Home, File = %q, %q; want %q and the file in it", got.Home, got.File, home)
	}
	got.Home, got.File = "", ""
	return got, b
}

// TestFileOfDefaultsLoadsBack: what kolo init writes loads back to the
// same values.
func TestFileOfDefaultsLoadsBack(t *testing.T) {
	t.Parallel()
	c := config.Defaults()
	c.Node = config.Node{Org: "Astra", Country: "RS"}
	got, b := loadBack(t, c)
	if !reflect.DeepEqual(got, c) {
		t.Errorf("loaded back\n%+v\nwant\n%+v", got, c)
	}
	if !bytes.HasSuffix(b, []byte("\n")) || bytes.HasSuffix(b, []byte("\n\n")) {
		t.Errorf("file does not end in exactly one newline: %q", b[max(0, len(b)-40):])
	}
}

// TestFileOfEveryValueLoadsBack: a configuration that sets every key to
// something other than its default, and one with empty lists, load back
// equal.
func TestFileOfEveryValueLoadsBack(t *testing.T) {
	t.Parallel()
	full := config.Config{
		Node: config.Node{Org: "Otvorena vrata, Skopje", Country: "MK"},
		Network: config.Network{
			Listen: []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"},
			Bootstrap: []string{"/ip4/192.0.2.1/tcp/4710/p2p/" + peerA, "/dns4/kolo.example.org/udp/4710/quic-v1/p2p/" + peerB,
				"/ip4/192.0.2.1/tcp/4710/p2p/" + peerA + "/p2p-circuit/p2p/" + peerC},
			NAT: config.NAT{PortMapping: false, HolePunching: false, RelayClient: false, RelayService: true},
		},
		API:     config.API{Port: 0},
		Log:     config.Log{Level: "debug", Format: "json"},
		Store:   config.Store{IndexCacheMB: 64, BlockCacheMB: 128, MemTableMB: 32},
		Plugins: config.Plugins{Dir: "/opt/kolo plugins", CallTimeout: 90*time.Second + 500*time.Millisecond},
		Query: config.Query{AllowRoles: []string{"analyst"}, AllowRequesters: []string{peerA, "Otvorena vrata"}, AllowKinds: []string{"judgment"},
			MaxPerDay: 20, NFilterTab: 11, NFilterSubset: 10,
			Noise:    config.QueryNoise{Mode: "on_request", Epsilon: 0.5, MaxEpsilon: 2, Budget: 20, Period: "year"},
			MaxBytes: 2048, MaxGroups: 3, MaxNesting: 4},
		UI: config.UI{Enabled: false, Remote: config.UIRemote{Listen: "0.0.0.0:8443", TLSCert: "ui.crt", TLSKey: "/etc/kolo/ui key.pem",
			Hosts: []string{"kolo.office.lan", "192.168.1.20"}}},
	}
	empty := config.Defaults()
	empty.Node = config.Node{Org: "Astra", Country: "RS"}
	empty.Network.Listen = []string{}
	for name, c := range map[string]config.Config{"every key": full, "empty lists": empty} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if got, _ := loadBack(t, c); !reflect.DeepEqual(got, c) {
				t.Errorf("loaded back\n%+v\nwant\n%+v", got, c)
			}
		})
	}
}

// TestFileQuotesOrg: organisation names with YAML's special characters
// survive the file.
func TestFileQuotesOrg(t *testing.T) {
	t.Parallel()
	for _, org := range []string{
		`ASTRA "Anti Trafficking Action"`,
		"Centar za žrtve # Beograd",
		"key: value",
		"- a list?",
		"yes", "null", "~", "0x10", "*alias", "&anchor", "!tag", "{a}", "[b]", "%d",
		`back\slash`, "tab\there", "new\nline", "  spaces  ", "Ξένια ✓",
	} {
		t.Run(org, func(t *testing.T) {
			t.Parallel()
			c := config.Defaults()
			c.Node = config.Node{Org: org, Country: "AL"}
			if got, _ := loadBack(t, c); got.Node.Org != org {
				t.Errorf("org %q loaded back as %q", org, got.Node.Org)
			}
		})
	}
}

// TestTemplateHasEveryKey: the kolo.yaml that kolo init writes sets every
// key, at its place in the sections.
func TestTemplateHasEveryKey(t *testing.T) {
	t.Parallel()
	c := config.Defaults()
	c.Node = config.Node{Org: "Astra", Country: "RS"}
	b, err := config.File(c)
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := yaml.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	for _, key := range config.Keys() {
		parts := strings.Split(key, ".")
		m := tree
		for _, p := range parts[:len(parts)-1] {
			m, _ = m[p].(map[string]any)
		}
		if _, ok := m[parts[len(parts)-1]]; !ok {
			t.Errorf("%s is not in the file kolo init writes", key)
		}
	}
	if !bytes.Contains(b, []byte("docs/config.md")) {
		t.Error("the file does not point to docs/config.md")
	}
}

// TestDocsHaveEveryKey: docs/config.md documents every key with its
// variable, so the documentation cannot drift from the code.
func TestDocsHaveEveryKey(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range config.Keys() {
		for _, want := range []string{"`" + key + "`", "`" + config.EnvName(key) + "`"} {
			if !bytes.Contains(doc, []byte(want)) {
				t.Errorf("docs/config.md does not mention %s", want)
			}
		}
	}
	// Every default the docs state must be the one in the code.
	for _, s := range config.Settings(config.Defaults()) {
		if s.Key == "node.org" || s.Key == "node.country" {
			continue
		}
		row := docRow(doc, s.Key)
		if row == "" {
			t.Errorf("docs/config.md has no table row for %s", s.Key)
			continue
		}
		switch v := s.Value.(type) {
		case []string:
			// A long list is given below the table; each element in backquotes.
			if len(v) == 0 && !strings.Contains(row, "`[]`") {
				t.Errorf("docs/config.md row for %s does not give its default `[]`:\n%s", s.Key, row)
			}
			for _, e := range v {
				if !bytes.Contains(doc, []byte("`"+e+"`")) {
					t.Errorf("docs/config.md does not give %s's default element `%s`", s.Key, e)
				}
			}
		default:
			if def := fmt.Sprintf("`%v`", v); !strings.Contains(row, def) {
				t.Errorf("docs/config.md row for %s does not give its default %s:\n%s", s.Key, def, row)
			}
		}
	}
}

// docRow returns the line of the key table that starts with key.
func docRow(doc []byte, key string) string {
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "| `"+key+"`") {
			return line
		}
	}
	return ""
}
