package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/kolo-net/kolo/node/records"
)

// importProgress draws an import's progress bar on standard error when it
// is a terminal, and nothing otherwise (scripts, logs, tests).
type importProgress struct {
	w     io.Writer
	on    bool
	size  int64 // of the file
	bar   *progressbar.ProgressBar
	stage string
}

func newImportProgress(w io.Writer, size int64) *importProgress {
	f, ok := w.(*os.File)
	return &importProgress{w: w, size: size, on: ok && term.IsTerminal(int(f.Fd()))}
}

// newBar replaces the bar with one for a new stage.
func (p *importProgress) newBar(stage, desc string, max int64, bytes bool) {
	p.finish()
	p.stage = stage
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
	}
	if bytes {
		opts = append(opts, progressbar.OptionShowBytes(true))
	}
	p.bar = progressbar.NewOptions64(max, opts...)
}

// update follows a local import.
func (p *importProgress) update(pr records.Progress) {
	if !p.on {
		return
	}
	switch pr.Stage {
	case "check":
		if p.stage != "check" {
			p.newBar("check", "checking rows", p.size, true)
		}
		_ = p.bar.Set64(pr.Bytes)
	case "write":
		if p.stage != "write" {
			p.newBar("write", "writing records", int64(pr.Total), false)
		}
		_ = p.bar.Set(pr.Records)
	}
}

// reader follows the upload of a file to the daemon, which then checks
// and writes it: the bar shows the upload, then says what the daemon does.
func (p *importProgress) reader(r io.Reader) io.Reader {
	if !p.on {
		return r
	}
	p.newBar("send", "sending to the daemon", p.size, true)
	return &progressReader{r: r, p: p}
}

type progressReader struct {
	r    io.Reader
	p    *importProgress
	done bool
}

func (pr *progressReader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	_ = pr.p.bar.Add(n)
	if err == io.EOF && !pr.done {
		pr.done = true
		pr.p.finish()
		fmt.Fprintln(pr.p.w, "the daemon is checking and writing the records…")
	}
	return n, err
}

// finish ends the current bar, if any.
func (p *importProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
