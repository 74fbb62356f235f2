// Command kolo runs and manages a kolo node: a peer-to-peer node of a
// network of civil-society organisations that monitor how trafficking in
// human beings is handled by courts, police, social welfare and parliaments,
// and compare results across countries without pooling the records.
//
// Run `kolo --help` for the commands; README.md for a walk-through.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(err))
}

// exitError carries an exit status other than 1 (and may carry no message).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// exitCode prints err, if any, as one line on standard error and returns
// the process's exit status.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.err == nil {
			return code
		}
	}
	fmt.Fprintln(os.Stderr, "kolo: "+err.Error())
	return code
}
