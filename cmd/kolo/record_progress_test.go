package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node/records"
)

// The progress bar draws only on a terminal: a pipe or a file gets nothing.
func TestImportProgressOnlyOnTerminal(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := newImportProgress(&buf, 1000)
	p.update(records.Progress{Stage: "check", Bytes: 500})
	p.update(records.Progress{Stage: "write", Records: 3, Total: 10})
	if _, err := io.Copy(io.Discard, p.reader(strings.NewReader("abc"))); err != nil {
		t.Fatal(err)
	}
	p.finish()
	if buf.Len() != 0 {
		t.Fatalf("drew on a non-terminal: %q", buf.String())
	}

	// On a terminal it follows the stages (drawn here into a buffer).
	p = &importProgress{w: &buf, size: 1000, on: true}
	p.update(records.Progress{Stage: "check", Bytes: 1000})
	p.update(records.Progress{Stage: "write", Records: 10, Total: 10})
	p.finish()
	if !strings.Contains(buf.String(), "checking rows") || !strings.Contains(buf.String(), "writing records") {
		t.Fatalf("bar output: %q", buf.String())
	}
}
