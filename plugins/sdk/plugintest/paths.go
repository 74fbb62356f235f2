package plugintest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// localForms runs forms in-process, as a plugin's Check handler does:
// validate, then normalise the valid records.
type localForms []sdk.Form

func (l localForms) describe(ctx context.Context) ([]sdk.FormInfo, error) {
	out := make([]sdk.FormInfo, len(l))
	for i, f := range l {
		fi, err := f.Describe(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe form #%d: %w", i, err)
		}
		out[i] = fi
	}
	return out, nil
}

func (l localForms) check(ctx context.Context, fi sdk.FormInfo, answers []sdk.Answers) ([]sdk.Result, error) {
	var form sdk.Form
	for _, f := range l {
		if d, err := f.Describe(ctx); err == nil && d.Ref() == fi.Ref() {
			form = f
		}
	}
	out := make([]sdk.Result, len(answers))
	for i, a := range answers {
		errs, err := form.Validate(ctx, a)
		if err != nil {
			return nil, fmt.Errorf("record %d: validate: %w", i, err)
		}
		if len(errs) > 0 {
			out[i] = sdk.Result{Errors: errs}
			continue
		}
		c, err := form.Normalize(ctx, a)
		if err != nil {
			return nil, fmt.Errorf("record %d: normalize: %w", i, err)
		}
		out[i] = sdk.Result{Common: c}
	}
	return out, nil
}

// remoteForms runs a plugin over gRPC.
type remoteForms struct{ rf *sdk.RemoteForms }

func (r remoteForms) describe(ctx context.Context) ([]sdk.FormInfo, error) {
	return r.rf.Describe(ctx)
}

func (r remoteForms) check(ctx context.Context, fi sdk.FormInfo, answers []sdk.Answers) ([]sdk.Result, error) {
	return r.rf.Check(ctx, fi.ID, fi.Version, answers)
}

// serveInProcess serves forms with the configuration sdk.Serve uses, in
// go-plugin's test mode (in this process, no magic cookie), and connects
// to them as the host does.
func serveInProcess(t *testing.T, forms []sdk.Form) remoteForms {
	t.Helper()
	cfg, err := sdk.ServeConfig(forms...)
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	cfg.Test = &plugin.ServeTestConfig{Context: ctx, ReattachConfigCh: reattach, CloseCh: closed}
	// In test mode go-plugin logs the closing of its listener as an error;
	// the client side (hclogFor) reports what matters.
	cfg.Logger = hclog.NewNullLogger()
	go plugin.Serve(cfg)
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case <-time.After(30 * time.Second):
		t.Fatal("the plugin did not start serving within 30s")
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		Plugins:          sdk.PluginSet(),
		Reattach:         rc,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		GRPCDialOptions:  sdk.GRPCDialOptions(),
		Logger:           hclogFor(t),
	})
	t.Cleanup(client.Kill)
	return remoteForms{dispense(t, client)}
}

func dispense(t *testing.T, client *plugin.Client) *sdk.RemoteForms {
	t.Helper()
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("start the plugin: %v", err)
	}
	raw, err := rpc.Dispense(sdk.PluginName)
	if err != nil {
		t.Fatalf("dispense %s: %v", sdk.PluginName, err)
	}
	rf, ok := raw.(*sdk.RemoteForms)
	if !ok {
		t.Fatalf("dispense %s: got %T", sdk.PluginName, raw)
	}
	rf.CallTimeout = 30 * time.Second
	return rf
}
