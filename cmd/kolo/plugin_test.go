package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/plugins/forms"
	"github.com/kolo-net/kolo/plugins/host"
)

// The host starts "kolo plugin serve CC" for each of its built-in
// countries: every one must be served here.
func TestPluginServeKnowsHostBuiltIns(t *testing.T) {
	t.Parallel()
	want := slices.Sorted(slices.Values(host.BuiltInCountries()))
	if got := forms.Countries(); !slices.Equal(got, want) {
		t.Fatalf("kolo plugin serve knows %v; the host starts %v", got, want)
	}
}

func TestPluginServeUnknownCountry(t *testing.T) {
	t.Parallel()
	cmd := newPluginCmd()
	cmd.SetArgs([]string{"serve", "al"})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), `no built-in forms for country "al": kolo ships ba, hr, mk, rs`) {
		t.Fatalf("got %v", err)
	}
}
