package host

import (
	"os/exec"
	"syscall"
)

// dieWithHost has Linux kill a plugin process when kolo dies without
// closing the host (a crash, SIGKILL), so that no plugin outlives its node.
func dieWithHost(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
