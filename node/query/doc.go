// Package query is kolo's language for federated aggregates and its local
// half: parsing and checking a query, evaluating it over a node's own
// records, protecting the result before anything leaves the node, and
// combining the answers of several nodes on the requester's side.
//
// A query names an aggregate, a record kind, groups, a filter and a date
// range, over the common indicators only (docs/query.md has the grammar):
//
//	count judgment by country, year where verdict = convicted
//	mean(sentence_months) judgment by country where offence in (thb, thb_child)
//	histogram(sentence_months; 0, 12, 36, 60, 120) judgment by country
//
// On the requesting node:
//
//	q, err := query.Parse(text, query.Options{Private: query.PrivateFields(forms)})
//	// sign q.String(), send, collect each node's *Answer, then
//	combined := query.Combine(q, parts)
//
// On an answering node, after authorising the requester:
//
//	q, err := query.Parse(received, query.Options{Limits: nodeLimits})
//	res, err := query.Evaluate(ctx, q, book, protector.Policy().EvalOptions())
//	ans, err := protector.Protect(ctx, query.Request{Requester: peerID}, res)
//	// seal ans with age, sign, send; log it in node/audit
//
// Evaluate reads only the indicator space of node/records: it never
// decodes a record's fields and never calls a form plugin. Its Result holds
// the records behind each cell and never leaves the node. Protect applies
// the node's Policy in this order: the subset rule (nfilter.subset), the ε
// budget when noise applies, the minimum cell count (nfilter.tab), the
// differencing guard, and optional discrete Laplace noise drawn by an exact
// integer sampler. docs/privacy.md says what this protects and what not.
package query
