// Command testplugin is a form plugin that misbehaves on request, for the
// host's tests. What it does depends on the name it is run under (the
// tests copy one build under several names):
//
//	ok, or any other name   serves <cc>.judgment versions 1 and 2, where cc
//	                        is the country of "testplugin plugin serve <cc>"
//	                        (as kolo runs built-ins), or "me"; a record with
//	                        "crash": true makes it crash, "hang": true makes
//	                        it hang without regard to its context
//	wrongcookie             answers to another program's magic cookie
//	wrongversion            speaks protocol version ProtocolVersion+1
//	notaplugin              prints a line and exits, as any program would
//	badindicators           serves si.judgment@1, which normalises to an
//	                        indicator that does not exist
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/kolo-net/kolo/plugins/sdk"
)

func main() {
	mode := strings.TrimSuffix(filepath.Base(os.Args[0]), filepath.Ext(os.Args[0]))
	cc := "me"
	if len(os.Args) == 4 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		cc = os.Args[3]
	}
	forms := []sdk.Form{judgment{cc: cc, version: 1}, judgment{cc: cc, version: 2}}
	switch mode {
	case "wrongcookie", "wrongversion":
		cfg, err := sdk.ServeConfig(forms...)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if mode == "wrongcookie" {
			cfg.HandshakeConfig = plugin.HandshakeConfig{ProtocolVersion: 1, MagicCookieKey: "OTHER_PLUGIN", MagicCookieValue: "other"}
		} else {
			cfg.HandshakeConfig.ProtocolVersion = sdk.ProtocolVersion + 1
			cfg.VersionedPlugins = nil
		}
		plugin.Serve(cfg)
	case "notaplugin":
		fmt.Println("hello, I am not a plugin")
	case "badindicators":
		sdk.Serve(judgment{cc: "si", version: 1, bad: true})
	default:
		sdk.Serve(forms...)
	}
}

// judgment is a small judgment form, written against the Form interface
// directly so that the host's tests do not depend on sdk.Spec.
type judgment struct {
	cc      string
	version int
	bad     bool
}

func (j judgment) Describe(context.Context) (sdk.FormInfo, error) {
	zero, maxMonths := 0.0, 600.0
	fi := sdk.FormInfo{
		ID:      j.cc + ".judgment",
		Version: j.version,
		Kind:    sdk.KindJudgment,
		Country: strings.ToUpper(j.cc),
		Title:   sdk.Label{"en": "Test judgment"},
		Fields: []sdk.Field{
			{ID: "verdict", Type: sdk.TypeChoice, Required: true, Label: sdk.Label{"en": "Verdict"}, Options: []sdk.Option{
				{Value: "convicted", Label: sdk.Label{"en": "Convicted"}},
				{Value: "acquitted", Label: sdk.Label{"en": "Acquitted"}},
			}},
			{ID: "sentence_months", Type: sdk.TypeInt, Label: sdk.Label{"en": "Sentence (months)"}, Min: &zero, Max: &maxMonths},
			{ID: "crash", Type: sdk.TypeBool, Label: sdk.Label{"en": "Crash the plugin"}},
			{ID: "hang", Type: sdk.TypeBool, Label: sdk.Label{"en": "Hang the plugin"}},
		},
	}
	if j.version >= 2 {
		fi.Fields = append(fi.Fields, sdk.Field{ID: "appeal", Type: sdk.TypeBool, Label: sdk.Label{"en": "Appealed"}})
	}
	return fi, nil
}

func (j judgment) Validate(ctx context.Context, a sdk.Answers) ([]sdk.FieldError, error) {
	if a["crash"] == true {
		panic("testplugin: crash requested")
	}
	if a["hang"] == true {
		select {} // ignores ctx: a hung plugin does not listen
	}
	fi, _ := j.Describe(ctx)
	return sdk.ValidateAnswers(fi, a, time.Now()), nil
}

func (j judgment) Normalize(_ context.Context, a sdk.Answers) (sdk.Common, error) {
	if j.bad {
		return sdk.Common{"no_such_indicator": int64(1)}, nil
	}
	c := sdk.Common{"verdict": a["verdict"]}
	if m, ok := a["sentence_months"].(float64); ok {
		c["sentence_months"] = int64(m)
	}
	return c, nil
}
