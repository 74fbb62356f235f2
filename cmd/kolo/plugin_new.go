package main

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"go/format"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/spf13/cobra"
	"golang.org/x/mod/modfile"
	modpath "golang.org/x/mod/module"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/kolo-net/kolo/plugins/forms"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// pluginTemplates are the files of a new country-form plugin: Go
// templates, each named for the file it writes plus ".tmpl".
//
//go:embed plugin_new_templates
var pluginTemplates embed.FS

const (
	pluginTemplateDir = "plugin_new_templates"
	koloModule        = "github.com/kolo-net/kolo"
	// unpublishedVersion is the version go.mod requires of kolo while the
	// module is unpublished and a replace directive points at a checkout.
	unpublishedVersion = "v0.0.0-00010101000000-000000000000"
	maxGoModBytes      = 1 << 20
)

// newPlugin is what "kolo plugin new" writes.
type newPlugin struct {
	Country     string   // ISO 3166-1 alpha-2, upper case: "ME"
	Lower       string   // "me"
	CountryName string   // "Montenegro"
	Languages   []string // label languages, "en" first
	Module      string   // the plugin's module path
	Binary      string   // the binary's name in the plugins directory
	Replace     string   // absolute path of a kolo checkout, or ""
	KoloVersion string   // the version of kolo go.mod requires
	GoVersion   string   // the go directive
}

func newPluginNewCmd() *cobra.Command {
	var country, dir, module, replace string
	var langs []string
	cmd := &cobra.Command{
		Use:   "new --country CC -o DIR",
		Short: "Write a new country-form plugin: a Go module with forms and tests to start from",
		Long: `Write a working country-form plugin into DIR, a new or empty directory: a Go
module with one form per record kind (the common indicators, labelled with the
catalogue's texts), a placeholder article list to replace with the country's
criminal code, and the tests kolo's own forms pass (plugins/sdk/plugintest).
It builds, passes its tests and loads into a node as written; plugins/README.md
walks through making it the country's own.

--lang adds label languages to English; they must be languages the indicator
catalogue has texts in (` + strings.Join(sdk.Languages[1:], ", ") + `), so that a country
sharing a language with another reuses its texts (Montenegro: sr-Latn,sr-Cyrl).

While the module github.com/kolo-net/kolo is not published, go.mod needs a
replace directive pointing at a kolo checkout: give it with --replace.`,
		Example: `  kolo plugin new --country ME --lang sr-Latn,sr-Cyrl --replace ~/src/kolo -o ~/src/kolo-me
  cd ~/src/kolo-me && go mod tidy && go test ./...`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := planPlugin(country, langs, module, replace)
			if err != nil {
				return err
			}
			files, err := p.render()
			if err != nil {
				return err
			}
			if err := writePlugin(dir, files); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote the %s forms plugin (%s) in %s:\n", p.CountryName, p.Module, dir)
			for _, name := range slices.Sorted(maps.Keys(files)) {
				fmt.Fprintf(cmd.OutOrStdout(), "  %s\n", name)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "next: cd %s && go mod tidy && go test ./...\n", dir)
			if p.Replace == "" && p.KoloVersion == unpublishedVersion {
				fmt.Fprintf(cmd.ErrOrStderr(), "note: go.mod has no replace directive, and %s is not published: add one pointing at a kolo checkout (go mod edit -replace %s=DIR), or run again with --replace DIR\n", koloModule, koloModule)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&country, "country", "", "the forms' country, an ISO 3166-1 alpha-2 code (ME, AL, XK …)")
	f.StringVarP(&dir, "output", "o", "", "directory to write the plugin into; new or empty")
	f.StringSliceVar(&langs, "lang", nil, "label languages besides English, from the catalogue's: "+strings.Join(sdk.Languages[1:], ", "))
	f.StringVar(&module, "module", "", `the plugin's Go module path (default "kolo-forms-<cc>")`)
	f.StringVar(&replace, "replace", "", "a kolo checkout for go.mod's replace directive (needed while "+koloModule+" is unpublished)")
	_ = cmd.MarkFlagRequired("country")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}

// planPlugin checks the flags and works out what to write.
func planPlugin(country string, langs []string, module, replace string) (newPlugin, error) {
	cc := strings.ToUpper(strings.TrimSpace(country))
	region, err := language.ParseRegion(cc)
	if len(cc) != 2 || err != nil || !region.IsCountry() {
		return newPlugin{}, fmt.Errorf("--country %q: not an ISO 3166-1 alpha-2 country code (examples: ME, AL, XK)", country)
	}
	lower := strings.ToLower(cc)
	if slices.Contains(forms.Countries(), lower) {
		return newPlugin{}, fmt.Errorf("--country %s: kolo ships %s's forms (%s.judgment …) itself; a plugin serving the same form ids would stop the node (built-in countries: %s)",
			cc, cc, lower, strings.ToUpper(strings.Join(forms.Countries(), ", ")))
	}
	p := newPlugin{Country: cc, Lower: lower, CountryName: display.English.Regions().Name(region),
		Languages: []string{"en"}, Binary: lower, Module: module, GoVersion: goDirective(), KoloVersion: koloVersion()}
	for _, l := range langs {
		l = strings.TrimSpace(l)
		if !slices.Contains(sdk.Languages, l) {
			return newPlugin{}, fmt.Errorf("--lang %q: the indicator catalogue has no texts in it; choose from %s (add another language by hand afterwards, as plugins/examples/al does for Albanian)",
				l, strings.Join(sdk.Languages[1:], ", "))
		}
		if !slices.Contains(p.Languages, l) {
			p.Languages = append(p.Languages, l)
		}
	}
	if p.Module == "" {
		p.Module = "kolo-forms-" + lower
	}
	if err := checkModulePath(p.Module); err != nil {
		return newPlugin{}, err
	}
	if replace != "" {
		abs, err := koloCheckout(replace)
		if err != nil {
			return newPlugin{}, err
		}
		p.Replace, p.KoloVersion = abs, unpublishedVersion
	}
	return p, nil
}

// checkModulePath checks a module path the way go.mod will.
func checkModulePath(path string) error {
	if err := modpath.CheckImportPath(path); err != nil {
		return fmt.Errorf("--module %q: not a Go module path (example: example.org/kolo-forms-me): %w", path, err)
	}
	return nil
}

// koloCheckout returns the absolute path of dir, which must hold kolo's
// go.mod.
func koloCheckout(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("--replace %s: %w", dir, err)
	}
	f, err := os.Open(filepath.Join(abs, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("--replace %s: not a kolo checkout: %w", dir, err)
	}
	defer f.Close()
	// kolo's go.mod is a few kilobytes; read no more than maxGoModBytes of
	// whatever file is there.
	b, err := io.ReadAll(io.LimitReader(f, maxGoModBytes))
	if err != nil {
		return "", fmt.Errorf("--replace %s: %w", dir, err)
	}
	if mp := modfile.ModulePath(b); mp != koloModule {
		return "", fmt.Errorf("--replace %s: its go.mod is module %q, not %s", dir, mp, koloModule)
	}
	return abs, nil
}

// koloVersion is the version of kolo this command was built from, when it
// was built from a published module; otherwise the placeholder a replace
// directive goes with.
func koloVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == koloModule && strings.HasPrefix(bi.Main.Version, "v") {
		return bi.Main.Version
	}
	return unpublishedVersion
}

// goDirective is the Go version this command was built with ("1.26.6"),
// at least the one kolo's module asks for.
func goDirective() string {
	v := strings.TrimPrefix(runtime.Version(), "go")
	if i := strings.IndexAny(v, " -+"); i >= 0 {
		v = v[:i]
	}
	return v
}

// render executes every template; nothing is written yet.
func (p newPlugin) render() (map[string][]byte, error) {
	tmpl := template.New("").Delims("[[", "]]").Funcs(template.FuncMap{"label": p.labelLiteral})
	out := map[string][]byte{}
	err := fs.WalkDir(pluginTemplates, pluginTemplateDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := pluginTemplates.ReadFile(path)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(path, pluginTemplateDir+"/"), ".tmpl")
		t, err := tmpl.New(name).Parse(string(src))
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, p); err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		text := b.Bytes()
		if strings.HasSuffix(name, ".go") {
			if text, err = format.Source(text); err != nil {
				return fmt.Errorf("template %s: the Go it writes does not parse: %w", name, err)
			}
		}
		out[filepath.FromSlash(name)] = text
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LanguageList names the label languages for a comment: "en, sr-Latn and
// sr-Cyrl".
func (p newPlugin) LanguageList() string {
	if len(p.Languages) == 1 {
		return p.Languages[0]
	}
	return strings.Join(p.Languages[:len(p.Languages)-1], ", ") + " and " + p.Languages[len(p.Languages)-1]
}

// labelLiteral writes the Go literal of the own-question text key in the
// plugin's languages.
func (p newPlugin) labelLiteral(key string) (string, error) {
	texts, ok := skeletonTexts[key]
	if !ok {
		return "", fmt.Errorf("no text %q for the skeleton", key)
	}
	var b strings.Builder
	b.WriteString("sdk.Label{")
	for i, lang := range p.Languages {
		text := texts[lang]
		if lang == "sr-Cyrl" {
			text = sdk.SerbianCyrillic(texts["sr-Latn"])
		}
		if text == "" {
			return "", fmt.Errorf("no %s text %q for the skeleton", lang, key)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(lang) + ": " + strconv.Quote(text))
	}
	b.WriteString("}")
	return b.String(), nil
}

// writePlugin writes files into dir, which must be new or empty. On an
// error it removes what it wrote, so that no half-written plugin is left.
func writePlugin(dir string, files map[string][]byte) (err error) {
	if dir == "" {
		return errors.New("-o DIR: name the directory to write the plugin into")
	}
	entries, rerr := os.ReadDir(dir)
	switch {
	case rerr == nil && len(entries) > 0:
		names := make([]string, 0, 3)
		for _, e := range entries[:min(3, len(entries))] {
			names = append(names, e.Name())
		}
		return fmt.Errorf("-o %s: the directory is not empty (it holds %s): write the plugin into a new or empty directory", dir, strings.Join(names, ", "))
	case rerr != nil && !errors.Is(rerr, fs.ErrNotExist):
		return fmt.Errorf("-o %s: %w", dir, rerr)
	}
	created := errors.Is(rerr, fs.ErrNotExist)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-o %s: %w", dir, err)
	}
	defer func() {
		if err == nil {
			return
		}
		if created {
			os.RemoveAll(dir)
			return
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := writeFileSync(path, files[name]); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}

func writeFileSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, bytes.NewReader(b)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
