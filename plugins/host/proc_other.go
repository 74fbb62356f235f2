//go:build !linux

package host

import "os/exec"

// dieWithHost does nothing outside Linux: there, plugins outlive a node
// that dies without closing its host, as go-plugin's own plugins do.
func dieWithHost(*exec.Cmd) {}
