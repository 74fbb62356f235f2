package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/host"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// runKolo runs the kolo command in this process with args and returns
// its standard output and error.
func runKolo(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err = root.Execute()
	return out.String(), errb.String(), err
}

// repoRoot is the kolo checkout these tests run in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no kolo checkout at %s: %v", root, err)
	}
	return root
}

// goIn runs the go command with args in dir, with modules resolved from
// the module proxy as needed (the new module has no go.sum yet).
func goIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// TestPluginNewLoadsIntoNode: the plugin "kolo plugin new" writes, outside
// this repository, builds, passes its own tests (plugintest, in process,
// over gRPC and as a built binary), and, built into a plugins directory,
// is started by the node's plugin host, which lists its forms and checks
// records with them.
func TestPluginNewLoadsIntoNode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a new Go module (about a minute): not with -short")
	}
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "kolo-me")
	stdout, _, err := runKolo(t, "plugin", "new", "--country", "ME", "--lang", "sr-Latn,sr-Cyrl", "--replace", repoRoot(t), "-o", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "wrote the Montenegro forms plugin (kolo-forms-me) in "+dir) {
		t.Errorf("stdout:\n%s", stdout)
	}
	goIn(t, dir, "mod", "tidy")
	out := goIn(t, dir, "test", "-count=1", "-v", "./...")
	for _, test := range []string{"TestForms", "TestBinary", "TestFormsAreWellMade", "TestArticles"} {
		if !strings.Contains(out, "--- PASS: "+test+" ") {
			t.Errorf("the new plugin's %s did not pass:\n%s", test, out)
		}
	}
	plugins := t.TempDir()
	goIn(t, dir, "build", "-o", filepath.Join(plugins, "me"), ".")

	h, err := host.New(host.Options{Dir: plugins, BuiltIn: []string{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := h.Start(ctx); err != nil {
		t.Fatalf("the node's plugin host does not start the new plugin: %v", err)
	}
	var refs []string
	for _, fi := range h.Forms() {
		refs = append(refs, fi.Ref())
	}
	want := "me.engagement@1 me.judgment@1 me.legislation@1 me.police_case@1 me.trial_hearing@1 me.victim_support@1"
	if got := strings.Join(refs, " "); got != want {
		t.Fatalf("forms listed: %s, want %s", got, want)
	}
	fi, ok := h.Latest("me.judgment")
	if !ok || fi.Country != "ME" || fi.Title["sr-Cyrl"] != "Пресуда у предмету трговине људима" || fi.Title["hr"] != "" {
		t.Fatalf("me.judgment: %+v", fi)
	}
	res, err := h.Check(ctx, "me.judgment", 1, []sdk.Answers{
		{"court": "Viši sud u Podgorici", "court_level": "first_instance", "article": "thb_child", "decision_date": "2024-03-01",
			"defendants": 1.0, "victims": 2.0, "child_victims": 2.0, "verdict": "convicted", "sentence_months": 60.0, "case_number": "K 1/24"},
		{"court": "Viši sud u Podgorici"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c := res[0].Common; !res[0].Valid() || c["offence"] != "thb_child" || c["child_victims"] != int64(2) || c["case_number"] != nil {
		t.Errorf("a valid judgment: %+v", res[0])
	}
	if res[1].Valid() {
		t.Errorf("an incomplete judgment is valid: %+v", res[1])
	}
}

func TestPluginNewHelp(t *testing.T) {
	t.Parallel()
	stdout, _, err := runKolo(t, "plugin", "new", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kolo plugin new --country CC -o DIR", "--country string", "-o, --output string", "--lang strings",
		"--replace string", "--module string", "sr-Latn, sr-Cyrl, hr, bs, mk", "kolo plugin new --country ME --lang sr-Latn,sr-Cyrl"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, stdout)
		}
	}
}

// Bad input is refused with what was wrong and what is allowed, and
// leaves nothing written.
func TestPluginNewErrors(t *testing.T) {
	t.Parallel()
	notKolo := t.TempDir()
	if err := os.WriteFile(filepath.Join(notKolo, "go.mod"), []byte("module example.org/other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"three letters", []string{"--country", "MNE"}, `--country "MNE": not an ISO 3166-1 alpha-2 country code (examples: ME, AL, XK)`},
		{"not a country", []string{"--country", "ZZ"}, `--country "ZZ": not an ISO 3166-1 alpha-2 country code`},
		{"built-in country", []string{"--country", "rs"}, "--country RS: kolo ships RS's forms (rs.judgment …) itself; a plugin serving the same form ids would stop the node (built-in countries: BA, HR, MK, RS)"},
		{"language without texts", []string{"--country", "AL", "--lang", "sq"}, `--lang "sq": the indicator catalogue has no texts in it; choose from sr-Latn, sr-Cyrl, hr, bs, mk`},
		{"not a kolo checkout", []string{"--country", "ME", "--replace", notKolo}, `its go.mod is module "example.org/other", not github.com/kolo-net/kolo`},
		{"no checkout", []string{"--country", "ME", "--replace", filepath.Join(notKolo, "nowhere")}, "not a kolo checkout"},
		{"bad module path", []string{"--country", "ME", "--module", "my plugin"}, `--module "my plugin": not a Go module path`},
		{"no country", []string{}, `required flag(s) "country" not set`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "plugin")
			args := append([]string{"plugin", "new", "-o", out}, tc.args...)
			_, _, err := runKolo(t, args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s was written after an error: %v", out, err)
			}
		})
	}
	t.Run("directory not empty", func(t *testing.T) {
		t.Parallel()
		before := snapshot(t, full)
		_, _, err := runKolo(t, "plugin", "new", "--country", "ME", "-o", full)
		if err == nil || !strings.Contains(err.Error(), "-o "+full+": the directory is not empty (it holds notes.txt): write the plugin into a new or empty directory") {
			t.Fatalf("got %v", err)
		}
		if after := snapshot(t, full); after != before {
			t.Errorf("the directory changed:\n%s\n%s", before, after)
		}
	})
	t.Run("no output", func(t *testing.T) {
		t.Parallel()
		_, _, err := runKolo(t, "plugin", "new", "--country", "ME")
		if err == nil || !strings.Contains(err.Error(), `required flag(s) "output" not set`) {
			t.Fatalf("got %v", err)
		}
	})
}

// Without --replace, go.mod still requires kolo, and the command says that
// a replace directive is needed while kolo is unpublished.
func TestPluginNewWithoutReplace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, stderr, err := runKolo(t, "plugin", "new", "--country", "XK", "--lang", "sr-Latn", "--module", "example.org/forms-xk", "-o", dir)
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(gomod), "module example.org/forms-xk\n") || !strings.Contains(string(gomod), "require github.com/kolo-net/kolo v0.0.0-00010101000000-000000000000") ||
		strings.Contains(string(gomod), "replace") {
		t.Errorf("go.mod:\n%s", gomod)
	}
	if !strings.Contains(stderr, "add one pointing at a kolo checkout (go mod edit -replace github.com/kolo-net/kolo=DIR)") {
		t.Errorf("stderr: %q", stderr)
	}
	forms, err := os.ReadFile(filepath.Join(dir, "forms.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(forms), `const Country = "XK"`) || !strings.Contains(string(forms), `var Languages = []string{"en", "sr-Latn"}`) ||
		!strings.Contains(string(forms), "(Kosovo)") {
		t.Errorf("forms.go does not name Kosovo and its languages:\n%s", forms)
	}
}
