package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// WriteOptions say how WriteFile writes a report.
type WriteOptions struct {
	Format string // "" means the file name's extension's, else HTML
	Lang   string
	// Evidence, if set, fetches each query's evidence, which WriteFile
	// writes beside the report (EvidencePath).
	Evidence EvidenceFunc
	// EvidenceLink, when Evidence is nil, is the path of evidence written
	// before, relative to the report, for the report to link to.
	EvidenceLink string
}

// WriteFile writes r to path in opts.Format and, if asked, its evidence
// beside it. The file is written whole or not at all. It returns how many
// evidence files it wrote.
func WriteFile(ctx context.Context, path string, r *Report, opts WriteOptions) (int, error) {
	format := opts.Format
	if format == "" {
		if format = FormatOf(path); format == "" {
			format = HTML
		}
	}
	n, link := 0, opts.EvidenceLink
	if opts.Evidence != nil {
		dir := EvidencePath(path)
		var err error
		if n, err = WriteEvidence(ctx, dir, r, opts.Evidence); err != nil {
			return 0, err
		}
		link = filepath.Base(dir)
	}
	var buf bytes.Buffer
	if err := Render(&buf, r, format, RenderOptions{Lang: opts.Lang, Evidence: link}); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	return n, nil
}
