package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/config"
)

// fuzzSeeds are kolo.yaml files, good and bad, for FuzzLoad.
func fuzzSeeds(t testing.TB) [][]byte {
	c := config.Defaults()
	c.Node = config.Node{Org: "Astra", Country: "RS"}
	initFile, err := config.File(c)
	if err != nil {
		t.Fatal(err)
	}
	seeds := [][]byte{
		initFile,
		[]byte(baseYAML),
		[]byte(baseYAML + "api:\n  port: 0\nlog: {level: debug, format: json}\n"),
		[]byte(baseYAML + "network:\n  listen: [/ip4/127.0.0.1/tcp/0]\n  bootstrap:\n    - /ip4/192.0.2.1/tcp/4710/p2p/" + peerA + "\n  nat: {port_mapping: false}\n"),
		[]byte(baseYAML + "store: {index_cache_mb: 8, block_cache_mb: 8, memtable_mb: 4}\nplugins: {dir: /opt/p, call_timeout: 2s}\n"),
		[]byte(baseYAML + "colour: blue\n"),
		[]byte(baseYAML + "api.port: 1\n"),
		[]byte(baseYAML + "network: {nat: true}\n"),
		[]byte(baseYAML + "api: {port: [1, 2]}\n"),
		[]byte(baseYAML + "api: {port: 8.5}\n"),
		[]byte(baseYAML + "plugins: {call_timeout: soon}\n"),
		[]byte("node: {org: &a Astra, country: *a}\n"),
		[]byte("a: &a [*a, *a]\n"),
		[]byte("node: [\n"),
		[]byte("- node\n"),
		[]byte("~: 1\n"),
		[]byte("? [a]\n: b\n"),
		[]byte("node: !!binary aGVsbG8=\n"),
	}
	return seeds
}

// FuzzLoad feeds arbitrary bytes as kolo.yaml. Load must never panic; it
// either fails with an error or returns a configuration that is valid and
// that File writes out so that it loads back the same.
func FuzzLoad(f *testing.F) {
	seeds := fuzzSeeds(f)
	if err := seedMix(seeds); err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	// One home for the input and one for its rewrite, per fuzzing process:
	// a directory per input would cost more than the Load.
	home, back := f.TempDir(), f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(home, config.FileName), data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := config.Load(config.Options{Home: home, Getenv: noEnv})
		if err != nil {
			var ce *config.Error
			if errors.As(err, &ce) && ce.Source != "default" && !strings.HasPrefix(ce.Source, "file ") {
				t.Fatalf("error from the file alone names source %q: %v", ce.Source, err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Load accepted a configuration that Validate refuses: %v", err)
		}
		b, err := config.File(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(back, config.FileName), b, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := config.Load(config.Options{Home: back, Getenv: noEnv})
		if err != nil {
			t.Fatalf("File's rewrite of an accepted file does not load: %v\n%s", err, b)
		}
		got.Home, got.File = c.Home, c.File
		if !reflect.DeepEqual(got, c) {
			t.Fatalf("File then Load changed the configuration:\n%+v\nwant\n%+v", got, c)
		}
	})
}

// seedMix checks that the seeds hold several accepted and several
// refused files, so the fuzz target starts from both sides: a list cut
// short, or seeds that all fail for one early reason, fail FuzzLoad.
func seedMix(seeds [][]byte) error {
	home, err := os.MkdirTemp("", "kolo-seeds-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	var ok, bad int
	for _, s := range seeds {
		if err := os.WriteFile(filepath.Join(home, config.FileName), s, 0o600); err != nil {
			return err
		}
		if _, err := config.Load(config.Options{Home: home, Getenv: noEnv}); err != nil {
			bad++
		} else {
			ok++
		}
	}
	if ok < 4 || bad < 4 {
		return fmt.Errorf("fuzz seeds: %d accepted, %d refused; want at least 4 of each", ok, bad)
	}
	return nil
}

// TestFuzzSeedsLoad runs FuzzLoad's seed check as a test.
func TestFuzzSeedsLoad(t *testing.T) {
	t.Parallel()
	if err := seedMix(fuzzSeeds(t)); err != nil {
		t.Error(err)
	}
}
