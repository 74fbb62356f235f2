// Package forms gathers the country forms that ship with kolo (RS, HR, BA,
// MK) and serves them as one plugin process: the node's plugin host starts
// "kolo plugin serve rs hr ba mk" and talks to it exactly as to a
// third-party plugin. One process for the four countries keeps an idle
// node small (each Go process costs some 30 MB resident).
package forms

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kolo-net/kolo/plugins/forms/ba"
	"github.com/kolo-net/kolo/plugins/forms/hr"
	"github.com/kolo-net/kolo/plugins/forms/mk"
	"github.com/kolo-net/kolo/plugins/forms/rs"
	"github.com/kolo-net/kolo/plugins/sdk"
)

var builtIn = map[string]func() []sdk.Form{
	"rs": rs.Forms,
	"hr": hr.Forms,
	"ba": ba.Forms,
	"mk": mk.Forms,
}

// Countries lists the built-in countries, lower case, sorted.
func Countries() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for c := range builtIn {
			if !yield(c) {
				return
			}
		}
	})
}

// Of returns the built-in forms of the countries named (lower case).
func Of(countries ...string) ([]sdk.Form, error) {
	if len(countries) == 0 {
		return nil, fmt.Errorf("no country named: kolo ships %s", strings.Join(Countries(), ", "))
	}
	var out []sdk.Form
	for _, cc := range countries {
		f, ok := builtIn[cc]
		if !ok {
			return nil, fmt.Errorf("no built-in forms for country %q: kolo ships %s; other countries' forms are plugins in the plugins directory",
				cc, strings.Join(Countries(), ", "))
		}
		out = append(out, f()...)
	}
	return out, nil
}

// ServeIfAsked serves the built-in forms when args (os.Args) are
// "<exe> plugin serve CC...", the command line the plugin host starts
// kolo with, and reports whether it did (it returns when the host is
// done with the plugin). Test binaries that start nodes call it first
// in TestMain, so that they can serve the forms as kolo does.
func ServeIfAsked(args []string) bool {
	if len(args) < 4 || args[1] != "plugin" || args[2] != "serve" {
		return false
	}
	forms, err := Of(args[3:]...)
	if err != nil {
		panic(err) // only a test binary misused by its own tests gets here
	}
	sdk.Serve(forms...)
	return true
}
