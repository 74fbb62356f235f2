// Package report is kolo's regional comparative report: a fixed,
// documented set of federated queries (docs/report.md lists each with its
// text), asked from one node, whose combined answers become a report
// country by country, rendered as HTML, Markdown, CSV or JSON.
//
// The report holds only what the network released: every figure comes
// from a federated query's combined answer, footnoted with its coverage
// (which members answered, which cells they suppressed, the noise), and a
// suppressed cell is shown as suppressed, never as zero. The provenance
// appendix lists every query, every answering member and its signature;
// WriteEvidence writes beside the report the bytes each member sent (the
// age files, the signed strings, the signatures and public keys), so a
// reader can check every figure without kolo (docs/query.md says how).
//
// On the asking node:
//
//	rep, err := report.Run(ctx, network, report.Options{Period: p, Wait: time.Minute})
//	err = report.Render(w, rep, report.HTML, "sr-Latn")
//
// Run asks and waits; Build turns the answers into the Report (it does
// no I/O, so tests give it answers directly); the renderers write it.
package report
