package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cast"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// MaxFileSize caps kolo.yaml; a configuration file is a few KiB.
const MaxFileSize = 1 << 20

// EnvPrefix prefixes the environment variables that set keys:
// network.nat.port_mapping is KOLO_NETWORK_NAT_PORT_MAPPING.
const EnvPrefix = "KOLO"

// Error is a configuration problem: which key, where it came from, what is
// allowed.
type Error struct {
	Key     string // e.g. "api.port"; empty for a problem with the whole file
	Source  string // "file /home/x/kolo.yaml", "environment KOLO_API_PORT", "flag --api-port", "default"
	Problem string // what is wrong and what is allowed
}

func (e *Error) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("config %s: %s", e.Source, e.Problem)
	}
	return fmt.Sprintf("config key %s (%s): %s", e.Key, e.Source, e.Problem)
}

// key is one configuration key: how to read it into a Config.
type key struct {
	name string
	kind string // "string", "strings", "int", "number", "bool", "duration"
	ptr  func(*Config) any
}

// keys lists every key, in the order docs/config.md gives them.
var keys = []key{
	{"node.org", "string", func(c *Config) any { return &c.Node.Org }},
	{"node.country", "string", func(c *Config) any { return &c.Node.Country }},
	{"network.listen", "strings", func(c *Config) any { return &c.Network.Listen }},
	{"network.bootstrap", "strings", func(c *Config) any { return &c.Network.Bootstrap }},
	{"network.nat.port_mapping", "bool", func(c *Config) any { return &c.Network.NAT.PortMapping }},
	{"network.nat.hole_punching", "bool", func(c *Config) any { return &c.Network.NAT.HolePunching }},
	{"network.nat.relay_client", "bool", func(c *Config) any { return &c.Network.NAT.RelayClient }},
	{"network.nat.relay_service", "bool", func(c *Config) any { return &c.Network.NAT.RelayService }},
	{"api.port", "int", func(c *Config) any { return &c.API.Port }},
	{"log.level", "string", func(c *Config) any { return &c.Log.Level }},
	{"log.format", "string", func(c *Config) any { return &c.Log.Format }},
	{"store.index_cache_mb", "int", func(c *Config) any { return &c.Store.IndexCacheMB }},
	{"store.block_cache_mb", "int", func(c *Config) any { return &c.Store.BlockCacheMB }},
	{"store.memtable_mb", "int", func(c *Config) any { return &c.Store.MemTableMB }},
	{"plugins.dir", "string", func(c *Config) any { return &c.Plugins.Dir }},
	{"plugins.call_timeout", "duration", func(c *Config) any { return &c.Plugins.CallTimeout }},
	{"query.allow_roles", "strings", func(c *Config) any { return &c.Query.AllowRoles }},
	{"query.allow_requesters", "strings", func(c *Config) any { return &c.Query.AllowRequesters }},
	{"query.allow_kinds", "strings", func(c *Config) any { return &c.Query.AllowKinds }},
	{"query.max_per_day", "int", func(c *Config) any { return &c.Query.MaxPerDay }},
	{"query.nfilter_tab", "int", func(c *Config) any { return &c.Query.NFilterTab }},
	{"query.nfilter_subset", "int", func(c *Config) any { return &c.Query.NFilterSubset }},
	{"query.noise.mode", "string", func(c *Config) any { return &c.Query.Noise.Mode }},
	{"query.noise.epsilon", "number", func(c *Config) any { return &c.Query.Noise.Epsilon }},
	{"query.noise.max_epsilon", "number", func(c *Config) any { return &c.Query.Noise.MaxEpsilon }},
	{"query.noise.budget", "number", func(c *Config) any { return &c.Query.Noise.Budget }},
	{"query.noise.period", "string", func(c *Config) any { return &c.Query.Noise.Period }},
	{"query.max_bytes", "int", func(c *Config) any { return &c.Query.MaxBytes }},
	{"query.max_groups", "int", func(c *Config) any { return &c.Query.MaxGroups }},
	{"query.max_nesting", "int", func(c *Config) any { return &c.Query.MaxNesting }},
	{"records.retention_years", "int", func(c *Config) any { return &c.Records.RetentionYears }},
	{"ui.enabled", "bool", func(c *Config) any { return &c.UI.Enabled }},
	{"ui.remote.listen", "string", func(c *Config) any { return &c.UI.Remote.Listen }},
	{"ui.remote.tls_cert", "string", func(c *Config) any { return &c.UI.Remote.TLSCert }},
	{"ui.remote.tls_key", "string", func(c *Config) any { return &c.UI.Remote.TLSKey }},
	{"ui.remote.hosts", "strings", func(c *Config) any { return &c.UI.Remote.Hosts }},
}

// Keys returns the names of all configuration keys.
func Keys() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

// EnvName returns the environment variable that sets key.
func EnvName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// Options says where Load looks.
type Options struct {
	Home string // the node's directory (required)
	// Flags, if set, holds command-line flags; FlagKeys maps a flag name to
	// the key it sets. Only flags the user set override other sources.
	Flags    *pflag.FlagSet
	FlagKeys map[string]string
	// Getenv reads the environment; nil means os.Getenv. Tests set it.
	Getenv func(string) string
	// Environ lists the environment as NAME=value, to refuse KOLO_*
	// variables that set no key; nil means os.Environ when Getenv is nil
	// too, and no listing when a test gave its own Getenv.
	Environ func() []string
}

// OtherVariables are the KOLO_* variables that are not configuration
// keys: the home, the key files' passphrase, and the handshake a form
// plugin process is started with.
var OtherVariables = []string{"KOLO_HOME", "KOLO_PASSPHRASE", "KOLO_NEW_PASSPHRASE", "KOLO_FORMS_PLUGIN"}

// Load reads the node's configuration from Home/kolo.yaml, KOLO_*
// variables and flags, over the defaults, and validates it. A missing file
// is an error: every node has one from `kolo init`.
func Load(opts Options) (Config, error) {
	if opts.Home == "" {
		return Config{}, errors.New("config: no home directory given (use --home or KOLO_HOME)")
	}
	getenv, environ := opts.Getenv, opts.Environ
	if getenv == nil {
		getenv = os.Getenv
		if environ == nil {
			environ = os.Environ
		}
	}
	if environ != nil {
		if err := checkEnviron(environ()); err != nil {
			return Config{}, err
		}
	}
	file := filepath.Join(opts.Home, FileName)
	raw, err := readFile(file)
	if err != nil {
		return Config{}, err
	}
	return load(opts, file, raw, getenv)
}

func readFile(file string) ([]byte, error) {
	fi, err := os.Stat(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("config: %s does not exist: is this a kolo home? (create one with kolo init)", file)
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if fi.Size() > MaxFileSize {
		return nil, tooBig(file, fi.Size())
	}
	// Read through a limit too: the size from Stat says nothing about a
	// file that grows, or a kolo.yaml that is a link to /dev/zero or a pipe.
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", file, err)
	}
	if len(raw) > MaxFileSize {
		return nil, tooBig(file, int64(len(raw)))
	}
	return raw, nil
}

func tooBig(file string, size int64) error {
	return &Error{Source: "file " + file, Problem: fmt.Sprintf("file is %d bytes or more, more than the %d allowed", size, MaxFileSize)}
}

func load(opts Options, file string, raw []byte, getenv func(string) string) (Config, error) {
	src := "file " + file
	var tree map[string]any
	if err := yaml.Unmarshal(raw, &tree); err != nil {
		return Config{}, &Error{Source: src, Problem: "not valid YAML: " + err.Error()}
	}
	if err := checkKnown(tree, "", src); err != nil {
		return Config{}, err
	}

	v := viper.New()
	def := Defaults()
	for _, k := range keys {
		v.SetDefault(k.name, deref(k.ptr(&def)))
	}
	v.SetConfigType("yaml")
	if err := v.ReadConfig(strings.NewReader(string(raw))); err != nil {
		return Config{}, &Error{Source: src, Problem: err.Error()}
	}
	// Environment: viper's AutomaticEnv reads os.Getenv; we bind through
	// the Getenv given so tests stay hermetic.
	for _, k := range keys {
		if val := getenv(EnvName(k.name)); val != "" {
			v.Set(k.name, val)
		}
	}
	for flag, k := range opts.FlagKeys {
		if opts.Flags == nil {
			break
		}
		f := opts.Flags.Lookup(flag)
		if f != nil && f.Changed {
			v.Set(k, flagValue(f))
		}
	}

	c := Config{Home: opts.Home, File: file}
	for _, k := range keys {
		if err := assign(k, v.Get(k.name), k.ptr(&c)); err != nil {
			return Config{}, &Error{Key: k.name, Source: origin(k.name, v, opts, getenv, file), Problem: err.Error()}
		}
	}
	if err := c.validate(func(key string) string { return origin(key, v, opts, getenv, file) }); err != nil {
		return Config{}, err
	}
	return c, nil
}

// flagValue is a flag's value as text. A list flag (StringSlice, say)
// prints itself as "[a,b]", which would not split back into a, b; its
// elements are joined with commas instead.
func flagValue(f *pflag.Flag) string {
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		return strings.Join(sv.GetSlice(), ",")
	}
	return f.Value.String()
}

// origin names where the value of key came from.
func origin(key string, v *viper.Viper, opts Options, getenv func(string) string, file string) string {
	for flag, k := range opts.FlagKeys {
		if k == key && opts.Flags != nil {
			if f := opts.Flags.Lookup(flag); f != nil && f.Changed {
				return "flag --" + flag
			}
		}
	}
	if getenv(EnvName(key)) != "" {
		return "environment " + EnvName(key)
	}
	if v.InConfig(key) {
		return "file " + file
	}
	return "default"
}

// checkEnviron refuses a KOLO_* variable that sets no key (KOLO_API_PROT
// for KOLO_API_PORT), as the file refuses an unknown key: a typo must not
// be silently ignored. A variable set to the empty text counts as not set.
func checkEnviron(env []string) error {
	var names []string
	for _, k := range keys {
		names = append(names, EnvName(k.name))
	}
	for _, kv := range env {
		name, val, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, EnvPrefix+"_") || val == "" || slices.Contains(names, name) || slices.Contains(OtherVariables, name) {
			continue
		}
		return &Error{Source: "environment " + name, Problem: fmt.Sprintf("no configuration key has this variable (%s and the key's path in upper case, _ for .: %s); besides those, kolo reads %s",
			EnvPrefix+"_", strings.Join(names, ", "), strings.Join(OtherVariables[:2], " and "))}
	}
	return nil
}

// checkKnown refuses keys the configuration does not have.
func checkKnown(tree map[string]any, prefix, src string) error {
	names := make([]string, 0, len(tree))
	for n := range tree {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		full := n
		if prefix != "" {
			full = prefix + "." + n
		}
		sub, isMap := tree[n].(map[string]any)
		if strings.Contains(n, ".") {
			// viper would read "api.port: 1" at the top as api.port; the
			// file's structure is nested sections, so refuse the shortcut.
			return &Error{Key: full, Source: src, Problem: fmt.Sprintf("unknown key (write nested sections, not dotted names); allowed here: %s", strings.Join(children(prefix), ", "))}
		}
		if isLeaf(full) {
			continue
		}
		if isSection(full) {
			if !isMap {
				if tree[n] == nil {
					continue // an empty section
				}
				return &Error{Key: full, Source: src, Problem: fmt.Sprintf("is a section, holding %s", strings.Join(children(full), ", "))}
			}
			if err := checkKnown(sub, full, src); err != nil {
				return err
			}
			continue
		}
		return &Error{Key: full, Source: src, Problem: fmt.Sprintf("unknown key; allowed here: %s", strings.Join(children(prefix), ", "))}
	}
	return nil
}

func isLeaf(name string) bool {
	for _, k := range keys {
		if k.name == name {
			return true
		}
	}
	return false
}

func isSection(name string) bool {
	for _, k := range keys {
		if strings.HasPrefix(k.name, name+".") {
			return true
		}
	}
	return false
}

// children lists the names directly under section ("" for the top).
func children(section string) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		rest := k.name
		if section != "" {
			if !strings.HasPrefix(k.name, section+".") {
				continue
			}
			rest = strings.TrimPrefix(k.name, section+".")
		}
		first, _, _ := strings.Cut(rest, ".")
		if !seen[first] {
			seen[first] = true
			out = append(out, first)
		}
	}
	return out
}

func deref(p any) any {
	switch p := p.(type) {
	case *string:
		return *p
	case *[]string:
		return *p
	case *int:
		return *p
	case *bool:
		return *p
	case *time.Duration:
		return *p
	case *float64:
		return *p
	}
	panic(fmt.Sprintf("config: unhandled type %T", p))
}

// assign converts a raw value (from YAML, an environment variable or a
// flag) to the key's type.
func assign(k key, raw any, dst any) error {
	switch d := dst.(type) {
	case *string:
		if _, ok := raw.([]any); ok {
			return fmt.Errorf("must be a single text value, got a list")
		}
		if _, ok := raw.(map[string]any); ok {
			return fmt.Errorf("must be a single text value, got a section")
		}
		s, err := cast.ToStringE(raw)
		if err != nil {
			return fmt.Errorf("must be text, got %v", raw)
		}
		*d = s
	case *[]string:
		switch r := raw.(type) {
		case string: // from a variable or flag: comma-separated
			*d = splitList(r)
		case nil:
			*d = []string{}
		default:
			s, err := cast.ToStringSliceE(raw)
			if err != nil {
				return fmt.Errorf("must be a list of text values, got %v", raw)
			}
			*d = s
		}
	case *int:
		var n int
		var err error
		if s, ok := raw.(string); ok {
			// Text (a variable, a flag, a quoted value) is read in base 10:
			// cast would read "010" as octal 8 and "0x10" as 16.
			n, err = strconv.Atoi(strings.TrimSpace(s))
		} else {
			n, err = cast.ToIntE(raw)
		}
		if err != nil || isFraction(raw) {
			return fmt.Errorf("must be a whole number, got %q", fmt.Sprint(raw))
		}
		*d = n
	case *bool:
		b, err := cast.ToBoolE(raw)
		if err != nil {
			return fmt.Errorf("must be true or false, got %q", fmt.Sprint(raw))
		}
		*d = b
	case *float64:
		var f float64
		var err error
		if s, ok := raw.(string); ok {
			f, err = strconv.ParseFloat(strings.TrimSpace(s), 64)
		} else {
			f, err = cast.ToFloat64E(raw)
		}
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("must be a number such as 0.5 or 10, got %q", fmt.Sprint(raw))
		}
		*d = f
	case *time.Duration:
		if isNumber(raw) {
			// cast reads a bare number as nanoseconds: 10 would be 10ns.
			return fmt.Errorf("%q has no unit: write it with one, such as 10s (units: ms, s, m, h)", fmt.Sprint(raw))
		}
		t, err := cast.ToDurationE(raw)
		if err != nil {
			return fmt.Errorf("must be a duration such as 10s or 1m30s, got %q", fmt.Sprint(raw))
		}
		*d = t
	default:
		return fmt.Errorf("unhandled type %T", dst)
	}
	return nil
}

// isNumber says whether raw is a number, or text that is only one.
func isNumber(raw any) bool {
	switch r := raw.(type) {
	case int, int64, uint64, float64:
		return true
	case string:
		_, err := strconv.ParseFloat(strings.TrimSpace(r), 64)
		return err == nil
	}
	return false
}

func isFraction(raw any) bool {
	f, ok := raw.(float64)
	return ok && f != float64(int64(f))
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		out = append(out, p)
	}
	return out
}

// Setting is one key's effective value.
type Setting struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// Settings lists every key of c with its value, in documentation order;
// durations are given as text such as "10s".
func Settings(c Config) []Setting {
	out := make([]Setting, 0, len(keys))
	for _, k := range keys {
		v := deref(k.ptr(&c))
		if d, ok := v.(time.Duration); ok {
			v = d.String()
		}
		out = append(out, Setting{Key: k.name, Value: v})
	}
	return out
}
