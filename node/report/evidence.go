package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kolo-net/kolo/node/federation"
)

// EvidenceFunc returns the evidence of a query this node asked:
// (*federation.Federation).EvidenceFiles, or the API route that serves
// it.
type EvidenceFunc func(ctx context.Context, id string) ([]federation.EvidenceFile, error)

// EvidencePath is the folder beside a report file that holds its
// evidence: report.html → report.evidence.
func EvidencePath(reportPath string) string {
	return strings.TrimSuffix(reportPath, filepath.Ext(reportPath)) + ".evidence"
}

// evidenceDir is the folder of query q's evidence in the report's
// evidence folder.
func evidenceDir(q Query) string { return fmt.Sprintf("q%02d-%s", q.Number, q.Figure) }

// WriteEvidence writes into dir, for every query of r, exactly the bytes
// each member sent (docs/query.md says how to check them): one folder per
// query, q01-judgments.total/ and so on, and a README.txt that lists
// them. The files are written into a new folder that then replaces dir,
// so a failure to fetch or write leaves dir as it was. It returns how
// many files it wrote.
func WriteEvidence(ctx context.Context, dir string, r *Report, fetch EvidenceFunc) (int, error) {
	parent := filepath.Dir(dir)
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return 0, fmt.Errorf("evidence: %w", err)
	}
	defer os.RemoveAll(tmp)
	count := 0
	var index strings.Builder
	index.WriteString("The evidence of a kolo regional report: for every query, the bytes each member sent.\n" +
		"docs/query.md says how to check them with age and OpenSSL, without kolo.\n\n")
	for _, q := range r.Queries {
		files, err := fetch(ctx, q.ID)
		if err != nil {
			return 0, fmt.Errorf("evidence of query %s (%s): %w", q.ID, q.Figure, err)
		}
		sub := filepath.Join(tmp, evidenceDir(q))
		if err := os.Mkdir(sub, 0o755); err != nil {
			return 0, fmt.Errorf("evidence: %w", err)
		}
		for _, f := range files {
			if f.Name != filepath.Base(f.Name) || strings.HasPrefix(f.Name, ".") || f.Name == "" {
				return 0, fmt.Errorf("evidence of query %s: the node named a file %q; refusing it", q.ID, f.Name)
			}
			if err := os.WriteFile(filepath.Join(sub, f.Name), f.Data, 0o644); err != nil {
				return 0, fmt.Errorf("evidence: %w", err)
			}
			count++
		}
		fmt.Fprintf(&index, "%s/\t[%d] %s\n", evidenceDir(q), q.Number, q.Text)
	}
	if err := os.WriteFile(filepath.Join(tmp, "README.txt"), []byte(index.String()), 0o644); err != nil {
		return 0, fmt.Errorf("evidence: %w", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return 0, fmt.Errorf("evidence: replace %s: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return 0, fmt.Errorf("evidence: %w", err)
	}
	return count, nil
}
