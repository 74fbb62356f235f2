package sdk

import (
	"github.com/hashicorp/go-plugin"
)

// ProtocolVersion is the version of the protocol between kolo and its
// plugins: the gRPC service in proto/form.proto and the meaning of its
// messages. It changes only when an old plugin could no longer be understood;
// kolo then refuses to start plugins built against the old version and says
// so, rather than misreading them. Adding a form, a form version or an
// indicator does not change it.
const ProtocolVersion = 1

// Handshake is what kolo and a plugin must agree on before they talk.
// go-plugin checks it when kolo starts the plugin process: the magic cookie
// tells a plugin binary that kolo started it (run by hand, it says so and
// exits), and the protocol version must match on both sides.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "KOLO_FORMS_PLUGIN",
	MagicCookieValue: "e1b7a6c0-kolo-country-forms",
}

// PluginName is the name under which a plugin process serves its forms in
// go-plugin's plugin map.
const PluginName = "forms"

// PluginSet is the go-plugin plugin map: one plugin, PluginName, serving
// forms. The host calls it with no forms; a plugin process with the forms it
// serves.
func PluginSet(forms ...Form) plugin.PluginSet {
	return plugin.PluginSet{PluginName: &FormsPlugin{Forms: forms}}
}
