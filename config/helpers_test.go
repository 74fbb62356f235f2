package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/config"
	"go.yaml.in/yaml/v3"
)

// Peer IDs of Ed25519 keys, for bootstrap addresses.
const (
	peerA = "12D3KooWAnHWyoqA8NLc8FJB3U8S5CDjayHC7U5WWaTJ4vHhQ2C9"
	peerB = "12D3KooWG2wUCf2nPwTKpJzQiVa1bJjmQ5RGYgamWQtoGJa4GDVS"
	peerC = "12D3KooWGu1xQ4TuPtcmRTCP8d2n8wJbDdTmLeCvxHEmq3nnaBJT"
)

// baseYAML is the least a valid kolo.yaml holds.
const baseYAML = "node:\n  org: Astra\n  country: RS\n"

// noEnv is an empty environment: the test's own KOLO_* variables must not leak in.
func noEnv(string) string { return "" }

// envOf is an environment holding only m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeHome makes a home directory whose kolo.yaml holds content.
func writeHome(t *testing.T, content string) string {
	t.Helper()
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, config.FileName), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return home
}

// yamlOf renders dotted keys and their values as nested YAML sections.
func yamlOf(t *testing.T, kv map[string]any) string {
	t.Helper()
	tree := map[string]any{}
	for k, v := range kv {
		parts := strings.Split(k, ".")
		m := tree
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[p] = sub
			}
			m = sub
		}
		m[parts[len(parts)-1]] = v
	}
	b, err := yaml.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantError checks that err is a *config.Error about key from source, and
// that its text names both and holds every one of texts.
func wantError(t *testing.T, err error, key, source string, texts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one about %s from %s", key, source)
	}
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %q (%T) is not a *config.Error", err, err)
	}
	if ce.Key != key {
		t.Errorf("error %q: Key = %q, want %q", err, ce.Key, key)
	}
	if ce.Source != source {
		t.Errorf("error %q: Source = %q, want %q", err, ce.Source, source)
	}
	msg := err.Error()
	for _, s := range append([]string{key, source}, texts...) {
		if !strings.Contains(msg, s) {
			t.Errorf("error %q does not mention %q", msg, s)
		}
	}
}
