package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Importing a file of records (CSV, JSON Lines, Excel): the upload is read
// into memory (never into a temporary file: it holds personal answers),
// the import runs in the background while its page shows how far it got,
// and ends with what was stored, or with every bad row in a table and
// nothing stored (records.Book.Import is all or nothing).

// Caps of imports.
const (
	maxUpload   = records.MaxImportBytes + 1<<20 // the file, and the form's few fields
	maxRunning  = 4                              // imports running at once
	keepJobs    = time.Hour                      // how long a finished import's result is shown
	importLimit = 30 * time.Minute               // the longest an import may take
)

// importJob is one import and how far it got.
type importJob struct {
	ID      string
	session string // the session that started it: only it may look
	File    string // the file's name, as the browser sent it
	Form    string
	Size    int64
	DryRun  bool
	started time.Time

	mu       sync.Mutex
	progress records.Progress
	done     time.Time
	result   records.ImportResult
	err      error
}

// importJobs are the imports of the interface, in memory.
type importJobs struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*importJob
}

func newImportJobs(now func() time.Time) *importJobs {
	return &importJobs{now: now, m: map[string]*importJob{}}
}

// add starts keeping j, unless too many imports run.
func (js *importJobs) add(j *importJob) error {
	js.mu.Lock()
	defer js.mu.Unlock()
	running := 0
	for id, o := range js.m {
		o.mu.Lock()
		done := o.done
		o.mu.Unlock()
		switch {
		case done.IsZero():
			running++
		case js.now().Sub(done) > keepJobs:
			delete(js.m, id)
		}
	}
	if running >= maxRunning {
		return fmt.Errorf("%d imports are running: wait for one to end", running)
	}
	js.m[j.ID] = j
	return nil
}

// get returns import id if session se started it.
func (js *importJobs) get(id string, se *session) (*importJob, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.m[id]
	if !ok || j.session != se.id {
		return nil, false
	}
	return j, true
}

// importPage shows the upload form.
func (s *Server) importPage(w http.ResponseWriter, rq *request) error {
	s.render(w, rq, http.StatusOK, "records_import", Page{Title: T(rq.lang, "ui.records.import"), Nav: "records",
		Data: importForm{Forms: formChoices(s.b.FormList(rq.Context()), rq.lang), Encodings: records.Encodings}})
	return nil
}

// importForm is the data of the upload page.
type importForm struct {
	Forms     []formChoice
	Encodings []string
}

// startImport reads the upload and starts the import in the background.
// The fields come in the form's order: csrf (checked by upload), form,
// encoding, allow_duplicates, dry_run, then the file, last.
func (s *Server) startImport(w http.ResponseWriter, rq *request, mr *multipart.Reader) error {
	opts := records.ImportOptions{}
	var data []byte
	var name string
	for data == nil {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return badRequest(errors.New(T(rq.lang, "ui.import.no_file")))
		}
		if err != nil {
			return badRequest(fmt.Errorf("read the upload: %w", err))
		}
		switch part.FormName() {
		case "file":
			name = part.FileName()
			data, err = io.ReadAll(io.LimitReader(part, records.MaxImportBytes+1))
			if err != nil {
				return badRequest(fmt.Errorf("read the upload: %w", err))
			}
			if len(data) > records.MaxImportBytes {
				return badRequest(fmt.Errorf("the file is larger than %d MiB: split it into several files", records.MaxImportBytes>>20))
			}
			if data == nil {
				data = []byte{}
			}
		default:
			v, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return badRequest(fmt.Errorf("read the upload: %w", err))
			}
			switch part.FormName() {
			case "form":
				opts.Form = string(v)
			case "encoding":
				opts.Encoding = string(v)
			case "allow_duplicates":
				opts.AllowDuplicates = string(v) == "yes"
			case "dry_run":
				opts.DryRun = string(v) == "yes"
			}
		}
	}
	if name == "" || len(data) == 0 {
		return badRequest(errors.New(T(rq.lang, "ui.import.no_file")))
	}
	format, ok := records.FormatOf(name)
	if !ok {
		return badRequest(errors.New(T(rq.lang, "ui.import.bad_type")))
	}
	opts.Format = format
	fi, err := s.b.FormInfo(rq.Context(), opts.Form)
	if err != nil {
		return recordsError(err)
	}
	opts.Form = fi.Ref()
	j := &importJob{ID: randomToken()[:22], session: rq.sess.id, File: name, Form: fi.Ref(), Size: int64(len(data)),
		DryRun: opts.DryRun, started: s.now()}
	if err := s.jobs.add(j); err != nil {
		return badRequest(err)
	}
	opts.Progress = func(p records.Progress) {
		j.mu.Lock()
		j.progress = p
		j.mu.Unlock()
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, importLimit)
		defer cancel()
		res, err := s.b.ImportRecords(ctx, bytes.NewReader(data), opts)
		j.mu.Lock()
		j.result, j.err, j.done = res, err, s.now()
		j.mu.Unlock()
		if err != nil && !errors.Is(err, records.ErrInvalid) {
			s.log.Error("import failed", "import", j.ID, "form", j.Form, "error", err)
		}
	}()
	return redirect(w, rq, Prefix+"imports/"+j.ID)
}

// importView is the data of an import's page.
type importView struct {
	File, Form string
	DryRun     bool
	Running    bool
	Stage      string // check or write
	Percent    int    // of the stage
	Done, Of   int64  // bytes read of the file, or records written of all
	Result     records.ImportResult
	Refused    *records.ImportError
	Rows       []importRow
	Problem    string // an error that is not about rows
}

// importRow is one problem of a refused import.
type importRow struct {
	Where, Field, Rule, Got string
}

// importJobPage shows how far an import got, and how it ended. While it
// runs the page reloads itself every second (no script needed).
func (s *Server) importJobPage(w http.ResponseWriter, rq *request) error {
	j, ok := s.jobs.get(rq.PathValue("job"), rq.sess)
	if !ok {
		return errNotFound
	}
	j.mu.Lock()
	v := importView{File: j.File, Form: j.Form, DryRun: j.DryRun, Running: j.done.IsZero(), Stage: j.progress.Stage,
		Result: j.result}
	p, err := j.progress, j.err
	j.mu.Unlock()
	switch p.Stage {
	case "write":
		v.Done, v.Of = int64(p.Records), int64(p.Total)
	default:
		v.Stage, v.Done, v.Of = "check", p.Bytes, j.Size
	}
	if v.Of > 0 {
		v.Percent = int(min(100, v.Done*100/v.Of))
	}
	var ie *records.ImportError
	switch {
	case errors.As(err, &ie):
		v.Refused = ie
		fi, ferr := s.b.FormInfo(rq.Context(), j.Form)
		fields := map[string]sdk.Field{}
		if ferr == nil {
			for _, f := range fi.Fields {
				fields[f.ID] = f
			}
		}
		for _, re := range ie.Errors {
			row := importRow{Where: rowWhere(re, rq.lang), Field: re.Field, Rule: re.Rule, Got: re.Got}
			if f, ok := fields[re.Field]; ok {
				row.Field = f.Label.In(rq.lang) + " (" + f.ID + ")"
			}
			// The plugin's coded problems in the reader's language, as
			// on the form (the got value has its own column).
			if msg, ok := localProblem(sdk.FieldError{Field: re.Field, Rule: re.Rule, Code: re.Code, Args: re.Args}, rq.lang, fields); ok {
				row.Rule = msg
			}
			v.Rows = append(v.Rows, row)
		}
	case err != nil:
		v.Problem = err.Error()
	}
	s.render(w, rq, http.StatusOK, "import_job", Page{Title: T(rq.lang, "ui.records.import"), Nav: "records", Data: v})
	return nil
}

// rowWhere names the place of a row's problem: row 3, line 3, record 3.
func rowWhere(re records.RowError, lang string) string {
	key := "ui.import.row"
	switch {
	case re.Record:
		key = "ui.import.record"
	case re.Line:
		key = "ui.import.line"
	}
	return Tf(lang, key, re.Row)
}
