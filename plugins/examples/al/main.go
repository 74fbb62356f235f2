// Command al is a worked example of a kolo country-form plugin: Albania's
// monitoring forms for the six record kinds, labelled in Albanian (sq) and
// English. Albania is not built into kolo; a partner there builds this
// binary and drops it into the node's plugins directory:
//
//	go build -o ~/.kolo/plugins/al ./plugins/examples/al
//
// kolo starts it, checks its handshake and serves its forms next to the
// built-in ones. Run by hand, it says that it is a plugin and exits.
//
// The trafficking offences follow the Criminal Code of the Republic of
// Albania (Kodi Penal, law no. 7895 of 27.1.1995) as amended, in
// particular by law no. 144/2013: art. 110/a trafficking of adults (8 to
// 15 years), art. 128/b trafficking of minors (10 to 20 years), art. 114
// exploitation of prostitution. Check the articles against the
// consolidated text in force before relying on them (see CodeVersion).
//
// plugins/README.md walks through this example step by step.
package main

import "github.com/kolo-net/kolo/plugins/sdk"

func main() { sdk.Serve(Forms()...) }
