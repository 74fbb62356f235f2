// Package plugintest checks a kolo country-form plugin the way kolo will
// use it. A plugin author calls it from the plugin's own tests:
//
//	func TestForms(t *testing.T) {
//		plugintest.Run(t, Forms(), examples...)
//	}
//
//	func TestBinary(t *testing.T) {
//		plugintest.RunBinary(t, plugintest.Build(t, "."), examples...)
//	}
//
// Run checks the forms in-process and through the real gRPC path (go-plugin
// serving them in the test process); RunBinary starts the built plugin as
// kolo's host does, handshake included. Both check that:
//
//   - every form is well made (sdk.CheckVersions: kinds, field ids, types,
//     unique options, English labels, versions 1, 2, … without gaps), its
//     id is "<country>.<kind>" and its country an ISO 3166-1 country code;
//   - every label of a form comes in the same languages as its title;
//   - every form version has at least one valid example;
//   - every example validates as it says: a valid one without errors, an
//     invalid one with exactly its Errors;
//   - every valid example normalises to indicators that sdk.CheckCommon
//     accepts, and to exactly Example.Common when that is given;
//   - a record made up from each schema (every field answered with its
//     first allowed value) normalises to valid indicators when it
//     validates;
//   - results are the same in-process and through gRPC (Run only).
//
// Suite adds the checks the forms shipped with kolo are held to: the
// languages of every label, golden files in testdata, broken records with
// their exact errors, and what every article of the criminal code maps to
// (Suite.Articles).
//
// See plugins/README.md for a walk-through.
package plugintest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"golang.org/x/text/language"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Example is one record of a form, with what the form must make of it.
type Example struct {
	// Form is the reference of the form version, "al.judgment@1".
	Form string
	// Name says what the example shows; it appears in failure messages.
	Name    string
	Answers sdk.Answers
	// Errors are the exact field errors the answers must produce, in
	// order. Nil means the example is valid.
	Errors []sdk.FieldError
	// Common, when not nil, is exactly what a valid example must normalise
	// to (compared after sdk.CanonicalCommon, so 3 and int64(3) are equal).
	Common sdk.Common
}

func (e Example) String() string {
	if e.Name != "" {
		return fmt.Sprintf("example %q of %s", e.Name, e.Form)
	}
	return "example of " + e.Form
}

// tb is the part of testing.TB the checks use; the package's own tests
// record what it reports.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

// checker is what the checks run against: forms in-process, or a plugin
// over gRPC.
type checker interface {
	describe(ctx context.Context) ([]sdk.FormInfo, error)
	check(ctx context.Context, fi sdk.FormInfo, answers []sdk.Answers) ([]sdk.Result, error)
}

// Run checks forms in-process, then through go-plugin's gRPC path, and
// compares the two.
func Run(t *testing.T, forms []sdk.Form, examples ...Example) {
	t.Helper()
	local := localForms(forms)
	var localResults map[string][]sdk.Result
	t.Run("in-process", func(t *testing.T) {
		localResults = runChecks(t, local, examples)
	})
	t.Run("grpc", func(t *testing.T) {
		remote := serveInProcess(t, forms)
		remoteResults := runChecks(t, remote, examples)
		lInfos, err := local.describe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rInfos, err := remote.describe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(lInfos, rInfos) {
			t.Errorf("forms described through gRPC differ from in-process:\n gRPC %+v\nlocal %+v", rInfos, lInfos)
		}
		for ref, lr := range localResults {
			if rr := remoteResults[ref]; !sameResults(lr, rr) {
				t.Errorf("%s: results through gRPC differ from in-process:\n gRPC %+v\nlocal %+v", ref, rr, lr)
			}
		}
	})
}

// RunBinary starts the plugin binary at path as kolo does (go-plugin,
// kolo's handshake, gRPC) and checks it.
func RunBinary(t *testing.T, path string, examples ...Example) {
	t.Helper()
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		Plugins:          sdk.PluginSet(),
		Cmd:              exec.Command(path),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		GRPCDialOptions:  sdk.GRPCDialOptions(),
		Logger:           hclogFor(t),
		StartTimeout:     30 * time.Second,
	})
	t.Cleanup(client.Kill)
	rf := dispense(t, client)
	runChecks(t, remoteForms{rf}, examples)
}

// Build builds the main package in dir (such as ".") into a temporary
// directory with "go build" and returns the binary's path.
func Build(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "plugin")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", dir, err, out)
	}
	return bin
}

// runChecks runs every check against c and returns the results of the
// examples and the made-up records, by form reference.
func runChecks(t tb, c checker, examples []Example) map[string][]sdk.Result {
	t.Helper()
	ctx := context.Background()
	infos, err := c.describe(ctx)
	if err != nil {
		t.Fatalf("describe: %v", err)
	}
	if len(infos) == 0 {
		t.Fatalf("the plugin serves no form")
	}
	if err := sdk.CheckVersions(infos); err != nil {
		t.Errorf("forms are not well made:\n%v", err)
	}
	byRef := map[string]sdk.FormInfo{}
	for _, fi := range infos {
		byRef[fi.Ref()] = fi
		if want := strings.ToLower(fi.Country) + "." + string(fi.Kind); fi.ID != want {
			t.Errorf("form %s: id must be <country>.<kind>, %s", fi.Ref(), want)
		}
		checkCountry(t, fi)
		checkLanguages(t, fi)
	}
	byForm := map[string][]Example{}
	for _, ex := range examples {
		if _, ok := byRef[ex.Form]; !ok {
			t.Errorf("%s: no such form (the plugin serves %s)", ex, strings.Join(slices.Sorted(maps.Keys(byRef)), ", "))
			continue
		}
		byForm[ex.Form] = append(byForm[ex.Form], ex)
	}
	out := map[string][]sdk.Result{}
	for _, ref := range slices.Sorted(maps.Keys(byRef)) {
		fi := byRef[ref]
		exs := byForm[ref]
		answers := make([]sdk.Answers, 0, len(exs)+2)
		valid := 0
		for _, ex := range exs {
			answers = append(answers, ex.Answers)
			if ex.Errors == nil {
				valid++
			}
		}
		if valid == 0 {
			t.Errorf("form %s has no valid example: add one, so that its mapping onto the indicators is tested", ref)
		}
		made := madeUp(fi)
		answers = append(answers, made...)
		results, err := c.check(ctx, fi, answers)
		if err != nil {
			t.Errorf("form %s: check: %v", ref, err)
			continue
		}
		out[ref] = results
		for i, ex := range exs {
			checkExample(t, fi, ex, results[i])
		}
		for i, r := range results[len(exs):] {
			name := []string{"with every field answered", "with only the required fields answered"}[i]
			if !r.Valid() {
				t.Logf("form %s: a record made up %s does not validate (fine if a rule across fields forbids it): %v", ref, name, r.Errors)
				continue
			}
			if err := sdk.CheckCommon(fi.Kind, r.Common); err != nil {
				t.Errorf("form %s: a record made up %s normalises to invalid indicators: %v", ref, name, err)
			}
		}
	}
	return out
}

func checkExample(t tb, fi sdk.FormInfo, ex Example, r sdk.Result) {
	t.Helper()
	if ex.Errors != nil {
		if !sameErrors(r.Errors, ex.Errors) {
			t.Errorf("%s: errors\n got %s\nwant %s", ex, showErrors(r.Errors), showErrors(ex.Errors))
		}
		return
	}
	if !r.Valid() {
		t.Errorf("%s: should be valid, got %s", ex, showErrors(r.Errors))
		return
	}
	got, err := sdk.CanonicalCommon(fi.Kind, r.Common)
	if err != nil {
		t.Errorf("%s: normalises to invalid indicators: %v", ex, err)
		return
	}
	if ex.Common == nil {
		return
	}
	want, err := sdk.CanonicalCommon(fi.Kind, ex.Common)
	if err != nil {
		t.Errorf("%s: the example's own Common is not valid: %v", ex, err)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: indicators\n got %s\nwant %s", ex, showJSON(got), showJSON(want))
	}
}

// checkCountry checks that the form's country is a country code of ISO
// 3166-1 (XK for Kosovo included).
func checkCountry(t tb, fi sdk.FormInfo) {
	t.Helper()
	r, err := language.ParseRegion(fi.Country)
	if err != nil || !r.IsCountry() || len(fi.Country) != 2 {
		t.Errorf("form %s: country %q is not an ISO 3166-1 alpha-2 country code", fi.Ref(), fi.Country)
	}
}

// checkLanguages checks that every label of the form has the languages of
// its title, each a well-formed BCP 47 tag: a monitor working in Albanian
// should not meet an English label halfway down the form.
func checkLanguages(t tb, fi sdk.FormInfo) {
	t.Helper()
	langs := slices.Sorted(maps.Keys(fi.Title))
	for _, l := range langs {
		if _, err := language.Parse(l); err != nil {
			t.Errorf("form %s: title language %q is not a BCP 47 tag: %v", fi.Ref(), l, err)
		}
	}
	check := func(where string, l sdk.Label) {
		for _, lang := range langs {
			if l[lang] == "" {
				t.Errorf("form %s: %s has no %q text (the title has)", fi.Ref(), where, lang)
			}
		}
	}
	for _, f := range fi.Fields {
		check("field "+f.ID+" label", f.Label)
		if f.Help != nil {
			check("field "+f.ID+" help", f.Help)
		}
		for _, o := range f.Options {
			check("field "+f.ID+" option "+o.Value, o.Label)
		}
	}
}

// madeUp returns two records made from the schema alone: every field
// answered with its first allowed value, and only the required fields.
func madeUp(fi sdk.FormInfo) []sdk.Answers {
	all, req := sdk.Answers{}, sdk.Answers{}
	for _, f := range fi.Fields {
		var v any
		switch f.Type {
		case sdk.TypeString, sdk.TypeText:
			v = "x"
		case sdk.TypeInt, sdk.TypeNumber:
			n := 0.0
			if f.Min != nil {
				n = *f.Min
			}
			if f.Max != nil && n > *f.Max {
				n = *f.Max
			}
			v = n
		case sdk.TypeBool:
			v = false
		case sdk.TypeDate:
			v = "2020-01-01"
		case sdk.TypeChoice:
			if len(f.Options) > 0 {
				v = f.Options[0].Value
			}
		case sdk.TypeSet:
			if len(f.Options) > 0 {
				v = []any{f.Options[0].Value}
			}
		}
		if v == nil {
			continue
		}
		all[f.ID] = v
		if f.Required {
			req[f.ID] = v
		}
	}
	return []sdk.Answers{all, req}
}

func sameResults(a, b []sdk.Result) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if showJSON(a[i]) != showJSON(b[i]) {
			return false
		}
	}
	return true
}

// sameErrors reports whether got are the errors want: the same fields,
// rules and values, and, where a wanted error states a rule code, the same
// code and args (an example written before rule codes leaves them out).
func sameErrors(got, want []sdk.FieldError) bool {
	if len(got) != len(want) {
		return false
	}
	for i, w := range want {
		g := got[i]
		if w.Code == "" && len(w.Args) == 0 {
			g.Code, g.Args = "", nil
		}
		if !reflect.DeepEqual(g, w) {
			return false
		}
	}
	return true
}

func showErrors(errs []sdk.FieldError) string {
	if len(errs) == 0 {
		return "no errors"
	}
	s := make([]string, len(errs))
	for i, e := range errs {
		s[i] = fmt.Sprintf("%#v", e)
		if e.Code == "" && e.Args == nil { // as before rule codes
			s[i] = fmt.Sprintf("sdk.FieldError{Field:%q, Rule:%q, Got:%q}", e.Field, e.Rule, e.Got)
		}
	}
	return strings.Join(s, "\n     ")
}

// showJSON renders v as JSON, in which int64(3) and 3.0 look the same.
func showJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

// hclogFor is go-plugin's logger in tests: errors only, to standard error
// (which go test shows for a failing package), never to t.Log, which
// panics when a go-plugin goroutine logs after the test ended.
func hclogFor(testing.TB) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Level: hclog.Error, Output: os.Stderr})
}
