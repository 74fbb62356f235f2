package sdk

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	formpb "github.com/kolo-net/kolo/plugins/sdk/proto"
)

// Result is the outcome of checking one record against its form: the
// broken rules, or, when there are none, the record's common indicators.
type Result struct {
	Errors []FieldError `json:"errors,omitempty"`
	Common Common       `json:"common,omitempty"`
}

// Valid reports whether the record broke no rule.
func (r Result) Valid() bool { return len(r.Errors) == 0 }

// Message size caps of the plugin protocol, enforced by gRPC on both ends.
const (
	// MaxMessageBytes caps one gRPC message either way. A call that would
	// exceed it fails on the sender's side with codes.ResourceExhausted.
	MaxMessageBytes = 32 << 20
	// MaxRecordBytes caps one record's answers, as encoded on the wire.
	MaxRecordBytes = 1 << 20
	// BatchBytes (encoded) and BatchRecords are the size at which
	// RemoteForms.Check cuts a batch of records into several calls: large enough that the
	// cost of a call (about 0.2 ms) vanishes, small enough that several
	// calls overlap and results stay well under MaxMessageBytes.
	BatchBytes   = 1 << 20
	BatchRecords = 256
	// BatchesInFlight is how many calls of one RemoteForms.Check run at
	// once.
	BatchesInFlight = 2
)

// GRPCServerOptions are the options a plugin's gRPC server runs with: the
// message size caps.
func GRPCServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.MaxRecvMsgSize(MaxMessageBytes),
		grpc.MaxSendMsgSize(MaxMessageBytes),
	}
}

// GRPCDialOptions are the options the host dials a plugin with: the same
// caps. go-plugin lifts the caps to 2 GiB by default; these override it.
func GRPCDialOptions() []grpc.DialOption {
	return []grpc.DialOption{grpc.WithDefaultCallOptions(
		grpc.MaxCallRecvMsgSize(MaxMessageBytes),
		grpc.MaxCallSendMsgSize(MaxMessageBytes),
	)}
}

// FormsPlugin is the go-plugin glue for the Forms service (a
// plugin.GRPCPlugin). In a plugin process it serves Forms; in the host it
// hands out a *RemoteForms. Use PluginSet rather than building it.
type FormsPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	// Forms are the forms served; empty on the host side.
	Forms []Form
}

var _ plugin.GRPCPlugin = (*FormsPlugin)(nil)

// GRPCServer registers the Forms service on the plugin's gRPC server.
func (p *FormsPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	srv, err := newFormsServer(context.Background(), p.Forms)
	if err != nil {
		return err
	}
	formpb.RegisterFormsServer(s, srv)
	return nil
}

// GRPCClient returns a *RemoteForms talking to the plugin over conn.
func (p *FormsPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return NewRemoteForms(conn), nil
}
