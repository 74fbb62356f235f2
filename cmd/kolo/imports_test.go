package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The import rules of ARCHITECTURE.md: imports point down only, the
// shared packages stay free of kolo, and no production package pulls in
// the testing package. Compare tailscale's tstest/deptest.

const module = "github.com/kolo-net/kolo"

type pkgInfo struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T) []pkgInfo {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkgInfo
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkgInfo
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages; the rule check would be empty", len(pkgs))
	}
	return pkgs
}

func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, module), "/") }

func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }

// allowed says whether package from may import kolo package to.
func allowed(from, to string) bool {
	switch {
	case under(to, "cmd"):
		return false // nothing imports a command
	case under(from, "protocol"), under(from, "config"):
		return under(to, from[:strings.IndexByte(from+"/", '/')]) // only their own subpackages
	case under(from, "plugins/sdk/plugintest"):
		return under(to, "plugins/sdk")
	case under(from, "plugins/sdk"):
		return under(to, "plugins/sdk") && !under(to, "plugins/sdk/plugintest")
	case under(from, "plugins/forms"), under(from, "plugins/examples"):
		return under(to, "plugins/sdk") && !under(to, "plugins/sdk/plugintest") || under(to, from)
	case under(from, "plugins/host"):
		return under(to, "plugins/sdk") && !under(to, "plugins/sdk/plugintest") || under(to, "plugins/host")
	case under(from, "node"):
		return under(to, "node") || under(to, "protocol") || under(to, "config") ||
			under(to, "plugins/host") || under(to, "plugins/sdk") && !under(to, "plugins/sdk/plugintest")
	case under(from, "testnet"):
		return true
	case under(from, "cmd"):
		return !under(to, "plugins/sdk/plugintest")
	}
	return false
}

func TestImportRules(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, p := range listPackages(t) {
		from := rel(p.ImportPath)
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			checked++
			to := rel(imp)
			if !allowed(from, to) {
				t.Errorf("%s imports %s: not allowed by ARCHITECTURE.md (imports point down: cmd → node → {protocol, config, plugins/host, node/*} → plugins/sdk)", from, to)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no kolo-internal imports found; the check is not looking at anything")
	}
}

// testingAllowed are third-party packages that import testing in their
// production code and that kolo cannot do without: go-plugin keeps its
// test helpers (testing.go) in its main package.
var testingAllowed = map[string]bool{"github.com/hashicorp/go-plugin": true}

// TestNoTestingInProduction: no production package links the testing
// package, directly or through a dependency, except through the allowed
// third-party packages above. plugins/sdk/plugintest is a harness for
// plugin authors' tests (like net/http/httptest) and is the one kolo
// exception.
func TestNoTestingInProduction(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Imports", module+"/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	imports := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkgInfo
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		imports[p.ImportPath] = p.Imports
	}
	for _, p := range listPackages(t) {
		from := rel(p.ImportPath)
		if under(from, "plugins/sdk/plugintest") {
			continue
		}
		for _, dep := range append([]string{p.ImportPath}, p.Deps...) {
			if slices.Contains(imports[dep], "testing") && !testingAllowed[dep] && !under(rel(dep), "plugins/sdk/plugintest") {
				t.Errorf("%s links package testing through %s; production code must not", from, dep)
			}
		}
	}
}

// TestRulesCatchViolations makes sure the rule table is not vacuous.
func TestRulesCatchViolations(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ from, to string }{
		{"protocol", "node"},
		{"config", "node/store"},
		{"plugins/sdk", "config"},
		{"plugins/forms/rs", "node/store"},
		{"plugins/host", "node"},
		{"node/store", "cmd/kolo"},
		{"cmd/kolo", "plugins/sdk/plugintest"},
		{"plugins/forms/rs", "plugins/forms/hr"},
		{"node/records", "plugins/forms/rs"},
	} {
		if allowed(c.from, c.to) {
			t.Errorf("rule table allows %s → %s", c.from, c.to)
		}
	}
	for _, c := range []struct{ from, to string }{
		{"node", "node/store"},
		{"node/records", "plugins/host"},
		{"plugins/forms/rs", "plugins/sdk"},
		{"cmd/kolo", "node"},
		{"testnet", "node"},
		{"plugins/sdk", "plugins/sdk/proto"},
	} {
		if !allowed(c.from, c.to) {
			t.Errorf("rule table forbids %s → %s", c.from, c.to)
		}
	}
}
