package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Format is the format of an import or export file.
type Format string

// Formats of files.
const (
	FormatCSV   Format = "csv"   // import and export: header row of field ids, one record per row
	FormatJSONL Format = "jsonl" // import: one JSON object of answers per line
	FormatXLSX  Format = "xlsx"  // import: an Excel workbook, laid out as a CSV file
	FormatJSON  Format = "json"  // export: a JSON array of records; import: such an export (a backup)
)

// ParseFormat checks a format name for import (csv, jsonl) or, with
// export set, for export (csv, json).
func ParseFormat(s string, export bool) (Format, error) {
	f := Format(strings.ToLower(s))
	switch {
	case f == FormatCSV, f == FormatJSON, (f == FormatJSONL || f == FormatXLSX) && !export:
		return f, nil
	case export:
		return "", invalidf("format %q: export writes csv or json", clip(s, 20))
	}
	return "", invalidf("format %q: import reads csv, xlsx (Excel), jsonl (JSON Lines) or json (a kolo JSON export)", clip(s, 20))
}

// FormatOf guesses an import file's format from its name: .csv, or .jsonl
// and .ndjson.
func FormatOf(name string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return FormatCSV, true
	case ".jsonl", ".ndjson":
		return FormatJSONL, true
	case ".xlsx":
		return FormatXLSX, true
	case ".json":
		return FormatJSON, true
	}
	return "", false
}

// ImportOptions say what an import reads.
type ImportOptions struct {
	Form   string // "rs.judgment" (latest version) or "rs.judgment@1"
	Format Format // FormatCSV, FormatXLSX or FormatJSONL
	// Encoding is the text encoding of a CSV or JSON Lines file: one of
	// Encodings, or "" to read UTF-8 and detect Windows-1250 and -1251.
	Encoding string
	// Sheet names the sheet of a workbook to read ("" for the first).
	Sheet string
	// AllowDuplicates adds rows that look like records already held (the
	// same case number and court) instead of refusing them.
	AllowDuplicates bool
	// DryRun checks every row and says what the import would do, and
	// stores nothing.
	DryRun bool
	// Progress, if set, is called from time to time with how far the
	// import got. It runs on the importing goroutine; keep it quick.
	Progress func(Progress)
}

// Query encodes the options a file's bytes do not carry as URL query
// parameters, for the local API; ImportOptionsFromQuery decodes them.
func (o ImportOptions) Query() url.Values {
	q := url.Values{"form": {o.Form}, "format": {string(o.Format)}}
	if o.Encoding != "" {
		q.Set("encoding", o.Encoding)
	}
	if o.Sheet != "" {
		q.Set("sheet", o.Sheet)
	}
	if o.AllowDuplicates {
		q.Set("allow_duplicates", "true")
	}
	if o.DryRun {
		q.Set("dry_run", "true")
	}
	return q
}

// ImportOptionsFromQuery decodes ImportOptions.Query; format is the
// format already checked.
func ImportOptionsFromQuery(q url.Values, format Format) ImportOptions {
	return ImportOptions{Form: q.Get("form"), Format: format, Encoding: q.Get("encoding"), Sheet: q.Get("sheet"),
		AllowDuplicates: q.Get("allow_duplicates") == "true", DryRun: q.Get("dry_run") == "true"}
}

// Progress reports how far an import got.
type Progress struct {
	Stage   string `json:"stage"`   // "check" (reading and checking rows), then "write"
	Bytes   int64  `json:"bytes"`   // bytes of the file read so far
	Records int    `json:"records"` // in "write": records written so far
	Total   int    `json:"total"`   // in "write": records to write
}

// ImportResult says what an import stored.
type ImportResult struct {
	ID      string `json:"import"`  // the import's ID (kolo record list --import ID)
	Form    string `json:"form"`    // "rs.judgment@2"
	Records int    `json:"records"` // records stored: added and updated
	// Added, Updated and Unchanged count the rows that added a record, added
	// a version to a record held (a row with its _id), and named a record
	// held with the answers it has.
	Added     int  `json:"added"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	DryRun    bool `json:"dry_run,omitempty"` // nothing was stored: the counts say what would be
	// Read says how the file was read when that is worth knowing: "read
	// as Windows-1250 (detected: the file is not UTF-8)".
	Read string `json:"read,omitempty"`
}

// chunkRows is how many rows the import checks in one host.Check call
// (which the host sends to the plugin in batches of sdk.BatchRecords).
const chunkRows = 1024

// MaxImportUpdates caps the records held one import may change: their new
// versions are written with the commit marker in one transaction, which
// Badger caps at about 2.4 MB (docs/store.md).
const MaxImportUpdates = 500

// checkers is how many chunks the plugin checks at once.
const checkers = 2

// staged is one checked record, encoded, waiting to be written.
type staged struct {
	id       string
	key, val []byte // index key and record value
	idx      []byte // index value
	ind      []byte // indicator value, without its import ID
}

// stage encodes a checked record for writeStaged, as encode and
// encodeIndicators do.
func stage(rec Record) (staged, error) {
	val, err := recordJSON(rec)
	if err != nil {
		return staged{}, fmt.Errorf("encode record %s: %w", rec.ID, err)
	}
	sum := rec.Summary()
	idx, err := summaryJSON(sum)
	if err != nil {
		return staged{}, fmt.Errorf("encode record %s: %w", rec.ID, err)
	}
	ind, err := encodeIndicators(rec)
	if err != nil {
		return staged{}, err
	}
	return staged{id: rec.ID, key: indexKey(sum), val: val, idx: idx, ind: ind}, nil
}

// Import reads a file of records, all on one form version, checks every
// row with the form's plugin and then stores all rows or none.
//
// Rows are checked first: if any row is bad, Import stores nothing and
// returns an *ImportError naming each bad row, field and rule. Then the
// records are written with a fast non-atomic batch under a pending import
// ID, invisible to every read, and made visible at once by one atomic
// commit marker. An import interrupted before the marker (a crash, a
// failed write) stays invisible and is removed, by this call or by the
// next Open. docs/records.md explains the design.
func (b *Book) Import(ctx context.Context, r io.Reader, opts ImportOptions) (ImportResult, error) {
	fi, err := b.resolve(opts.Form)
	if err != nil {
		return ImportResult{}, err
	}
	format, err := ParseFormat(string(opts.Format), false)
	if err != nil {
		return ImportResult{}, err
	}
	parse := map[Format]parser{FormatCSV: parseCSV, FormatJSONL: parseJSONL, FormatXLSX: parseXLSX, FormatJSON: parseJSON}[format]
	progress := opts.Progress
	if progress == nil {
		progress = func(Progress) {}
	}

	encoding, err := ParseEncoding(opts.Encoding)
	if err != nil {
		return ImportResult{}, err
	}
	src := &source{in: &limitedReader{r: r, left: b.maxImport, limit: b.maxImport}, encoding: encoding, sheet: opts.Sheet}
	idn := newIdentity(b, fi, opts.AllowDuplicates)
	if opts.DryRun {
		p, err := b.checkRows(ctx, src, fi, parse, idn, nil, progress)
		if err != nil {
			return ImportResult{}, err
		}
		return ImportResult{Form: fi.Ref(), Added: p.added, Updated: len(p.updates), Unchanged: p.unchanged, DryRun: true, Read: src.read}, nil
	}
	// New records are written, invisible, while later rows are checked
	// (see writeImport); a bad row anywhere removes them again.
	imp := newID()
	st := importState{State: statePending, Form: fi.Ref(), Started: b.stamp()}
	if err := b.putImportState(imp, st); err != nil {
		return ImportResult{}, fmt.Errorf("import: begin: %w", err)
	}
	w := b.startWriter(ctx, imp)
	p, err := b.checkRows(ctx, src, fi, parse, idn, w.write, progress)
	if werr := w.finish(); err == nil && werr != nil {
		err = fmt.Errorf("import: write records: %w", werr)
	}
	if err != nil {
		b.abandon(ctx, imp)
		return ImportResult{}, err
	}
	res := ImportResult{Form: fi.Ref(), Records: p.added + len(p.updates), Added: p.added, Updated: len(p.updates),
		Unchanged: p.unchanged, Read: src.read}
	if res.Records == 0 {
		b.abandon(ctx, imp) // only the marker: every row is a record held as it is
		return res, nil
	}
	res.ID = imp
	st.Records, st.Updated = p.added, len(p.updates)
	if err := b.writeImport(ctx, imp, st, p.updates, progress); err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// importPlan is what a checked import writes.
type importPlan struct {
	recs      []staged // records to add, when checkRows is given no writer
	added     int      // records added (written, or in recs)
	updates   []judged // versions to add to records held
	unchanged int      // rows that are records held as they are
}

// importWriter writes the records of a pending import as checkRows hands
// them over, one batch per chunk, on its own goroutine.
type importWriter struct {
	ch   chan []staged
	done chan struct{}
	err  error
}

func (b *Book) startWriter(ctx context.Context, imp string) *importWriter {
	w := &importWriter{ch: make(chan []staged, 2), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for recs := range w.ch {
			if w.err == nil {
				w.err = b.writeStaged(ctx, imp, recs, func(Progress) {})
			}
		}
	}()
	return w
}

func (w *importWriter) write(recs []staged) { w.ch <- recs }

// finish waits for what was handed over to be written.
func (w *importWriter) finish() error {
	close(w.ch)
	<-w.done
	return w.err
}

// checkRows parses the file and checks every row. It hands the encoded
// new records of each chunk to write while no row was bad so far (or
// keeps them in the plan's recs when write is nil), and returns the
// plan, or an *ImportError when any row is bad.
func (b *Book) checkRows(ctx context.Context, src *source, fi sdk.FormInfo,
	parse parser, idn *identity, write func([]staged), progress func(Progress)) (importPlan, error) {
	// Three stages overlap: reading rows, the plugin checking a chunk, and
	// encoding the records of the chunk checked before.
	type checked struct {
		ch  rowChunk
		res []sdk.Result
	}
	g, gctx := errgroup.WithContext(ctx)
	chunks := make(chan rowChunk, 2)
	results := make(chan checked, 2)
	var fileErr error // a verdict on the file (a bad header, CSV syntax, too large); rows before it are still checked
	in := src.in
	problems := new(atomic.Int64) // found by the parser and the plugin: at MaxImportErrors, checking stops
	g.Go(func() error {
		defer close(chunks)
		err := parse(src, fi, newChunkerFor(in, problems, func(ch rowChunk) error {
			select {
			case chunks <- ch:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}))
		var re RowError
		if errors.As(err, &re) || errors.Is(err, ErrInvalid) {
			fileErr = err
			return nil
		}
		if err != nil && gctx.Err() == nil {
			return fmt.Errorf("import: read file: %w", err)
		}
		return err
	})
	// The plugin checks up to checkers chunks at once (a plugin process
	// serves concurrent calls; one call keeps one core busy); the results
	// are taken in the file's order.
	pending := make(chan chan checked, checkers)
	g.Go(func() error {
		defer close(pending)
		for ch := range chunks {
			done := make(chan checked, 1)
			select {
			case pending <- done:
			case <-gctx.Done():
				return gctx.Err()
			}
			g.Go(func() error {
				var res []sdk.Result
				if len(ch.answers) > 0 {
					var err error
					if res, err = b.checkChunk(gctx, fi, ch); err != nil {
						return fmt.Errorf("import: check rows %d..%d on %s: %w", ch.rows[0], ch.rows[len(ch.rows)-1], fi.Ref(), err)
					}
				}
				done <- checked{ch, res}
				return nil
			})
		}
		return nil
	})
	g.Go(func() error {
		defer close(results)
		for done := range pending {
			select {
			case c := <-done:
				select {
				case results <- c:
				case <-gctx.Done():
					return gctx.Err()
				}
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})

	ie := &ImportError{}
	lastBad := 0
	bad := func(errs []RowError) {
		slices.SortStableFunc(errs, func(a, b RowError) int { return a.Row - b.Row })
		for _, re := range errs {
			if re.Row != lastBad {
				ie.BadRows++
				lastBad = re.Row
			}
			ie.add(re)
		}
	}
	now := b.stamp()
	var (
		plan   importPlan
		encErr error
	)
	for c := range results {
		ch := c.ch
		ie.Rows += ch.read
		if ch.unchecked > 0 {
			if ie.Unchecked == 0 {
				ie.UncheckedFrom = ch.uncheckedFrom
			}
			ie.Unchecked += ch.unchecked
		}
		errs := append([]RowError(nil), ch.errs...)
		var recs []staged
		for i, rs := range c.res {
			if pre := ch.pre[i]; len(pre) > 0 || !rs.Valid() {
				errs = append(errs, pre...)
				for _, fe := range rs.Errors {
					if !hasField(pre, fe.Field) { // the plugin missed a cell that did not parse
						errs = append(errs, RowError{Row: ch.rows[i], Line: ch.lines, Field: fe.Field, Rule: fe.Rule, Got: fe.Got, Code: fe.Code, Args: fe.Args})
						problems.Add(1)
					}
				}
				continue
			}
			cm := rs.Common
			if cm == nil {
				cm = sdk.Common{}
			}
			rowFI := fi
			if ref := ch.meta[i].form; ref != "" && ref != fi.Ref() {
				id, v, _ := ParseRef(ref)
				rowFI, _ = b.forms.Form(id, v) // checkChunk found it served
			}
			j, jerrs := idn.judge(ctx, ch.rows[i], ch.lines, ch.meta[i], rowFI.Ref(), ch.answers[i], cm)
			if len(jerrs) > 0 {
				errs = append(errs, jerrs...)
				problems.Add(int64(len(jerrs)))
				continue
			}
			if len(errs) > 0 || ie.BadRows > 0 || encErr != nil {
				continue // nothing will be stored: spare the encoding
			}
			switch j.action {
			case actionUnchanged:
				plan.unchanged++
				continue
			case actionUpdate:
				if len(plan.updates) == MaxImportUpdates {
					errs = append(errs, RowError{Row: ch.rows[i], Line: ch.lines, Field: "_id", Rule: fmt.Sprintf(
						"changes record %s, one more than the %d records held one import may change (they change in one atomic commit): split the file", j.cur.ID, MaxImportUpdates)})
					problems.Add(1)
					continue
				}
				plan.updates = append(plan.updates, j)
				continue
			}
			rec := b.newRecord(rowFI, ch.answers[i], cm, now, "")
			if j.id != "" {
				rec.ID = j.id
			}
			s, err := stage(rec)
			if err != nil {
				encErr = err
				continue
			}
			recs = append(recs, s)
		}
		if ch.records {
			for k := range errs {
				errs[k].Record, errs[k].Line = true, false
			}
		}
		if len(recs) > 0 && len(errs) == 0 && ie.BadRows == 0 && encErr == nil {
			plan.added += len(recs)
			if write != nil {
				write(recs)
			} else {
				plan.recs = append(plan.recs, recs...)
			}
		}
		bad(errs)
		progress(Progress{Stage: "check", Bytes: ch.bytes})
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return importPlan{}, fmt.Errorf("import: %w", ctx.Err())
		}
		return importPlan{}, err
	}
	if encErr != nil {
		return importPlan{}, encErr
	}
	if fileErr != nil {
		var re RowError
		if !errors.As(fileErr, &re) {
			return importPlan{}, fmt.Errorf("import refused, nothing was stored: %w", fileErr)
		}
		if re.Row != lastBad {
			ie.BadRows++
		}
		ie.add(re)
	}
	if ie.BadRows > 0 {
		return importPlan{}, ie
	}
	if plan.added+len(plan.updates)+plan.unchanged == 0 {
		return importPlan{}, invalidf("import: the file holds no records (after the header row, for CSV)")
	}
	return plan, nil
}

// checkChunk has the plugin check a chunk's rows, each on its form
// version: fi's, or the row's own (a JSON export's records keep theirs).
func (b *Book) checkChunk(ctx context.Context, fi sdk.FormInfo, ch rowChunk) ([]sdk.Result, error) {
	byRef := map[string][]int{}
	for i := range ch.answers {
		ref := ch.meta[i].form
		if ref == "" {
			ref = fi.Ref()
		}
		byRef[ref] = append(byRef[ref], i)
	}
	if _, ok := byRef[fi.Ref()]; ok && len(byRef) == 1 {
		res, err := b.forms.Check(ctx, fi.ID, fi.Version, ch.answers)
		if err == nil && len(res) != len(ch.answers) {
			err = fmt.Errorf("%d results for %d rows", len(res), len(ch.answers))
		}
		return res, err
	}
	res := make([]sdk.Result, len(ch.answers))
	for ref, idx := range byRef {
		id, v, err := ParseRef(ref)
		if _, ok := b.forms.Form(id, v); err != nil || v == 0 || !ok {
			for _, i := range idx {
				res[i] = sdk.Result{Errors: []sdk.FieldError{{Field: "form", Rule: fmt.Sprintf(
					"is %s, which no plugin serves here: install or restart the plugin that serves it (kolo forms list)", clip(ref, 40))}}}
			}
			continue
		}
		batch := make([]sdk.Answers, len(idx))
		for j, i := range idx {
			batch[j] = ch.answers[i]
		}
		r, err := b.forms.Check(ctx, id, v, batch)
		if err == nil && len(r) != len(batch) {
			err = fmt.Errorf("%d results for %d rows", len(r), len(batch))
		}
		if err != nil {
			return nil, fmt.Errorf("on %s: %w", ref, err)
		}
		for j, i := range idx {
			res[i] = r[j]
		}
	}
	return res, nil
}

func hasField(errs []RowError, field string) bool {
	for _, e := range errs {
		if e.Field == field && field != "" {
			return true
		}
	}
	return false
}

// importState is the value of an import's marker in spaceImport.
type importState struct {
	State     string    `json:"state"` // statePending or stateCommitted
	Form      string    `json:"form"`
	Records   int       `json:"records"`           // records added
	Updated   int       `json:"updated,omitempty"` // records given a new version
	Started   time.Time `json:"started"`
	Committed time.Time `json:"committed,omitzero"`
}

const (
	statePending   = "pending"
	stateCommitted = "committed"
)

// writeImport finishes import imp, whose new records are written under
// its pending marker: it syncs them to disk, then flips the marker to
// committed, in the same atomic write as the new versions of the records
// it updates; on failure it removes what the import wrote. What a crash
// leaves is removed by the next Open.
func (b *Book) writeImport(ctx context.Context, imp string, st importState, updates []judged, progress func(Progress)) error {
	progress(Progress{Stage: "write", Records: 0, Total: st.Records + st.Updated})
	// The records reach the disk before the marker that makes them
	// visible, so no power cut can keep the marker and lose records.
	if err := b.st.Sync(); err != nil {
		b.abandon(ctx, imp)
		return fmt.Errorf("import: write records: %w", err)
	}
	if err := b.commitImport(imp, st, updates); err != nil {
		b.abandon(ctx, imp)
		if errors.Is(err, store.ErrTooBig) {
			return invalidf("import refused, nothing was stored: it changes %d records held, more than one commit holds: split the file (a thousand changed records at a time is safe)", len(updates))
		}
		return fmt.Errorf("import: commit: %w", err)
	}
	b.sync()
	progress(Progress{Stage: "write", Records: st.Records + st.Updated, Total: st.Records + st.Updated})
	// The items only serve to remove a failed import; a committed import
	// needs them no more (Open removes any left over).
	if err := b.forgetItems(ctx, imp); err != nil {
		b.log.Warn("import committed; removing its bookkeeping failed (harmless, retried at next open)", "import", imp, "error", err)
	}
	b.log.Info("import committed", "import", imp, "form", st.Form, "records", st.Records, "updated", st.Updated)
	return nil
}

// writeStaged writes the records of pending import imp with one batch.
// Each record's item comes first, so that a record on disk always has
// the item that lets a failed import be removed.
func (b *Book) writeStaged(ctx context.Context, imp string, recs []staged, progress func(Progress)) error {
	return b.st.Batch(func(bt *store.Batch) error {
		for i, s := range recs {
			if i%chunkRows == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				progress(Progress{Stage: "write", Records: i, Total: len(recs)})
			}
			if err := bt.Put(spaceImportItem, []byte(imp+"/"+s.id), s.key); err != nil {
				return err
			}
			// The record and its index entry name their import, which
			// keeps them invisible until it is committed.
			val, idx, err := withImport(s, imp)
			if err != nil {
				return err
			}
			if err := bt.Put(spaceRecord, []byte(s.id), val); err != nil {
				return err
			}
			if err := bt.Put(spaceIndex, s.key, idx); err != nil {
				return err
			}
			ind, err := withImportIndicators(s.ind, imp)
			if err != nil {
				return fmt.Errorf("record %s: %w", s.id, err)
			}
			if err := bt.Put(spaceIndicators, s.key, ind); err != nil {
				return err
			}
			recs[i] = staged{} // the batch holds its own copy: let this one go
		}
		progress(Progress{Stage: "write", Records: len(recs), Total: len(recs)})
		return nil
	})
}

// withImport sets the import ID in an encoded record and index entry.
// Records are encoded before the import has an ID (checking comes first),
// so the field is spliced in: both encodings start with `{"id":"…"`, and
// the ID is followed by a comma.
func withImport(s staged, imp string) (val, idx []byte, err error) {
	splice := func(enc []byte) ([]byte, error) {
		head := len(`{"id":"`) + len(s.id) + len(`"`)
		if len(enc) <= head || string(enc[:head]) != `{"id":"`+s.id+`"` || enc[head] != ',' {
			return nil, fmt.Errorf("record %s: unexpected encoding", s.id)
		}
		out := make([]byte, 0, len(enc)+len(imp)+12)
		out = append(out, enc[:head]...)
		out = append(out, `,"import":"`...)
		out = append(out, imp...)
		out = append(out, '"')
		return append(out, enc[head:]...), nil
	}
	if val, err = splice(s.val); err != nil {
		return nil, nil, err
	}
	if idx, err = splice(s.idx); err != nil {
		return nil, nil, err
	}
	return val, idx, nil
}

// commitImport flips import imp's marker to committed and adds the new
// versions of the records it updates, in one atomic write, which makes
// all its records and versions visible at once. An update whose record
// changed since it was checked fails the commit (ErrChanged).
func (b *Book) commitImport(imp string, st importState, updates []judged) error {
	st.State, st.Committed = stateCommitted, b.stamp()
	marker, err := json.Marshal(st)
	if err != nil {
		return err
	}
	err = b.st.Update(func(tx *store.Tx) error {
		for _, u := range updates {
			if err := b.putVersion(tx, u.cur, u.next); err != nil {
				return err
			}
		}
		return tx.Put(spaceImport, []byte(imp), marker)
	})
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.committed[imp] = true
	b.mu.Unlock()
	return nil
}

func (b *Book) putImportState(imp string, st importState) error {
	val, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return b.st.Put(spaceImport, []byte(imp), val)
}

// abandon removes what a failed import wrote; what it cannot remove stays
// invisible and is removed by the next Open.
func (b *Book) abandon(ctx context.Context, imp string) {
	if err := b.removeImport(context.WithoutCancel(ctx), imp); err != nil {
		b.log.Error("removing a failed import; its records stay invisible and are removed at the next start", "import", imp, "error", err)
	}
}

// removeImport deletes the records of uncommitted import imp, then its
// items, then its marker. Each step can be repeated, so a crash in the
// middle leaves work for the next Open, never a visible record.
func (b *Book) removeImport(ctx context.Context, imp string) error {
	type item struct{ id, key []byte }
	var items []item
	prefix := []byte(imp + "/")
	err := b.st.Scan(ctx, spaceImportItem, prefix, func(key, val []byte) error {
		items = append(items, item{id: key[len(prefix):], key: val})
		return nil
	})
	if err != nil {
		return err
	}
	err = b.st.Batch(func(bt *store.Batch) error {
		for _, it := range items {
			if err := bt.Delete(spaceRecord, it.id); err != nil {
				return err
			}
			if err := bt.Delete(spaceIndex, it.key); err != nil {
				return err
			}
			if err := bt.Delete(spaceIndicators, it.key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := b.forgetItems(ctx, imp); err != nil {
		return err
	}
	if err := b.st.Delete(spaceImport, []byte(imp)); err != nil {
		return err
	}
	b.log.Info("removed an import that was not committed", "import", imp, "records", len(items))
	return nil
}

// forgetItems deletes the items of import imp.
func (b *Book) forgetItems(ctx context.Context, imp string) error {
	var keys [][]byte
	err := b.st.Scan(ctx, spaceImportItem, []byte(imp+"/"), func(key, _ []byte) error {
		keys = append(keys, key)
		return nil
	})
	if err != nil || len(keys) == 0 {
		return err
	}
	return b.st.Batch(func(bt *store.Batch) error {
		for _, k := range keys {
			if err := bt.Delete(spaceImportItem, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// recoverImports reads the import markers: committed imports make their
// records visible; pending ones were interrupted and are removed.
func (b *Book) recoverImports(ctx context.Context) error {
	var pending, committed []string
	err := b.st.Scan(ctx, spaceImport, nil, func(key, val []byte) error {
		var st importState
		if err := json.Unmarshal(val, &st); err != nil {
			return fmt.Errorf("import marker %q: %w", key, err)
		}
		switch st.State {
		case stateCommitted:
			committed = append(committed, string(key))
		default:
			pending = append(pending, string(key))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read imports: %w", err)
	}
	b.mu.Lock()
	for _, imp := range committed {
		b.committed[imp] = true
	}
	b.mu.Unlock()
	for _, imp := range pending {
		if err := b.removeImport(ctx, imp); err != nil {
			// Its records stay invisible; try again at the next open.
			b.log.Error("removing an interrupted import", "import", imp, "error", err)
		}
	}
	for _, imp := range committed {
		if err := b.forgetItems(ctx, imp); err != nil {
			b.log.Warn("removing the bookkeeping of a committed import", "import", imp, "error", err)
		}
	}
	return nil
}
