package sdk

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Serve serves forms to kolo and returns when kolo closes the plugin. It is
// the whole of a plugin's main:
//
//	func main() { sdk.Serve(albania.Forms()...) }
//
// Run by hand rather than by kolo, the binary says that it is a plugin and
// exits with status 1. If the forms cannot be served (none given, one fails
// to describe itself, two share an id and version) Serve says why on
// standard error and exits with status 1: kolo shows that message when the
// plugin fails to start.
func Serve(forms ...Form) {
	cfg, err := ServeConfig(forms...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kolo plugin: %v\n", err)
		os.Exit(1)
	}
	plugin.Serve(cfg)
}

// ServeConfig is the go-plugin configuration Serve runs with. It is exported
// for test harnesses (plugins/sdk/plugintest), which serve forms in-process
// by setting its Test field; a plugin's main calls Serve.
func ServeConfig(forms ...Form) (*plugin.ServeConfig, error) {
	// Describe and index the forms once up front, so that a broken form
	// set fails here with its reason rather than inside go-plugin.
	if _, err := newFormsServer(context.Background(), forms); err != nil {
		return nil, err
	}
	return &plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         PluginSet(forms...),
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, GRPCServerOptions()...)...)
		},
		// go-plugin's own messages go to standard error as JSON lines,
		// which the host reads and logs under the plugin's name.
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:       "plugin",
			Level:      hclog.Info,
			Output:     os.Stderr,
			JSONFormat: true,
		}),
	}, nil
}
