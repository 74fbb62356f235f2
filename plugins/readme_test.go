// Package plugins_test runs the walk-through of plugins/README.md as
// written: its shell blocks, outside this repository, against a clone of
// kolo that is this checkout.
package plugins_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

// walkthrough returns the shell blocks of README.md marked
// "<!-- walkthrough: NAME -->", by name.
func walkthrough(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blocks := map[string]string{}
	var name string
	var in bool
	var b strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "<!-- walkthrough: "):
			name = strings.TrimSuffix(strings.TrimPrefix(line, "<!-- walkthrough: "), " -->")
		case name != "" && !in && line == "```sh":
			in = true
		case in && line == "```":
			blocks[name] = b.String()
			b.Reset()
			name, in = "", false
		case in:
			b.WriteString(line + "\n")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// userEnv is a user's shell: a home of its own (tmp), with ~/src/kolo a
// clone of kolo (this checkout), go install writing into ~/go/bin on the
// PATH, and the machine's module and build caches, so that nothing is
// downloaded twice.
func userEnv(t *testing.T) (home string, env []string) {
	t.Helper()
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repo, "go.mod")); err != nil {
		t.Fatalf("no kolo checkout at %s: %v", repo, err)
	}
	home = t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(repo, filepath.Join(home, "src", "kolo")); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(home, "go", "bin")
	env = []string{"HOME=" + home, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "GOBIN=" + bin,
		"GOFLAGS=", "KOLO_HOME=", "KOLO_PASSPHRASE="}
	for _, v := range []string{"GOPATH", "GOMODCACHE", "GOCACHE", "GOPROXY", "GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOSUMDB", "GOTOOLCHAIN"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", v, err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(out)))
	}
	return home, env
}

// run runs a README block with bash, stopping at the first failing
// command, and returns what it printed.
func run(t *testing.T, env []string, name, script string) string {
	t.Helper()
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README walk-through %q failed: %v\n--- script\n%s--- output\n%s", name, err, script, out)
	}
	return string(out)
}

// TestWalkthrough runs plugins/README.md's "Write a country plugin"
// blocks as a plugin author would: kolo installed from the clone, a new
// Montenegrin plugin written by "kolo plugin new", its tests, its binary
// built into a node's plugins directory and listed by "kolo forms list".
// Then it runs plugintest against that very binary.
func TestWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds kolo and a plugin module outside the repository (a minute or more): not with -short")
	}
	t.Parallel()
	blocks := walkthrough(t)
	for _, name := range []string{"new", "by-hand", "install"} {
		if blocks[name] == "" {
			t.Fatalf("README.md has no walk-through block %q (it has %d)", name, len(blocks))
		}
	}
	home, env := userEnv(t)
	out := run(t, env, "new", blocks["new"])
	if !strings.Contains(out, "ok  \tkolo-forms-me") {
		t.Errorf("the new plugin's tests did not pass:\n%s", out)
	}
	// The node the plugin is installed into; the README assumes it exists.
	run(t, env, "kolo init", `kolo init --org "Test CSO" --country ME`)
	out = run(t, env, "install", blocks["install"])
	for _, want := range []string{"me.judgment ", "me.victim_support ", "me.judgment@1: Пресуда у предмету трговине људима"} {
		if !strings.Contains(out, want) {
			t.Errorf("install: output lacks %q:\n%s", want, out)
		}
	}
	bin := filepath.Join(home, ".kolo", "plugins", "me")
	plugintest.RunBinary(t, bin, meExamples...)
}

// TestWalkthroughByHand runs the README's module made by hand from the
// Albanian example, outside the repository.
func TestWalkthroughByHand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a plugin module outside the repository: not with -short")
	}
	t.Parallel()
	blocks := walkthrough(t)
	if blocks["by-hand"] == "" {
		t.Fatal(`README.md has no walk-through block "by-hand"`)
	}
	_, env := userEnv(t)
	out := run(t, env, "by-hand", blocks["by-hand"])
	if !strings.Contains(out, "ok  \texample.org/kolo-forms-al") {
		t.Errorf("the copied example's tests did not pass:\n%s", out)
	}
}

// meExamples are valid records of each form the walk-through's plugin
// serves, and one broken one.
var meExamples = []plugintest.Example{
	{Form: "me.judgment@1", Name: "conviction", Answers: sdk.Answers{"court": "Viši sud u Podgorici", "court_level": "first_instance",
		"article": "thb_child", "decision_date": "2024-03-01", "defendants": 1.0, "victims": 2.0, "child_victims": 2.0,
		"verdict": "convicted", "sentence_months": 60.0, "case_number": "K 1/24", "notes": "stays here"},
		Common: sdk.Common{"court_level": "first_instance", "offence": "thb_child", "decision_date": "2024-03-01", "defendants": 1,
			"victims": 2, "child_victims": 2, "verdict": "convicted", "sentence_months": 60}},
	{Form: "me.judgment@1", Name: "no verdict", Answers: sdk.Answers{"court": "Viši sud u Podgorici", "court_level": "appeal",
		"article": "thb", "decision_date": "2024-03-01", "defendants": 1.0, "victims": 1.0},
		Errors: []sdk.FieldError{{Field: "verdict", Rule: "is required"}}},
	{Form: "me.trial_hearing@1", Answers: sdk.Answers{"court": "Osnovni sud u Baru", "date": "2024-05-06", "hearing_held": true}},
	{Form: "me.police_case@1", Answers: sdk.Answers{"opened_date": "2024-02-10", "stage": "report"}},
	{Form: "me.victim_support@1", Answers: sdk.Answers{"victim_status": "potential", "age_group": "adult"}},
	{Form: "me.legislation@1", Answers: sdk.Answers{"identifier": "Zakon o izmjenama Krivičnog zakonika", "type": "criminal_code",
		"stage": "parliament", "stage_date": "2024-06-01"}},
	{Form: "me.engagement@1", Answers: sdk.Answers{"date": "2024-04-18", "body": "parliament", "purpose": "findings"}},
}
