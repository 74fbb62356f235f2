package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/gzhttp"

	"github.com/kolo-net/kolo/node/report"
)

// reportRoutes registers the regional report's pages: the form that
// starts it (kolo report), its progress, and the report itself.
func (s *Server) reportRoutes() {
	s.page("GET "+Prefix+"analysis/report", s.reportFormPage)
	s.action("POST "+Prefix+"analysis/report", s.startReport)
	s.page("GET "+Prefix+"analysis/report/{id}", s.reportJobPage)
	s.page("GET "+Prefix+"analysis/report/{id}/view", s.reportView)
}

// reportFormData is the page that starts a report.
type reportFormData struct {
	From, To      string
	Waits         []choice
	PeriodProblem string
	Problem       string
	Queries       int // how many queries a report asks
}

// reportJobData is a report's progress.
type reportJobData struct {
	ID                       string
	Done                     bool
	Error                    string
	Queries, Asked, Answered int
	Sections, Figures        int
}

func (s *Server) reportFormPage(w http.ResponseWriter, rq *request) error {
	if _, ok := s.b.NetworkInfo(rq.Context()); !ok {
		return s.renderNoNetworkYet(w, rq)
	}
	return s.renderReportForm(w, rq, http.StatusOK, reportFormData{Waits: waitOptions(rq.lang, 0)})
}

func (s *Server) renderReportForm(w http.ResponseWriter, rq *request, code int, d reportFormData) error {
	d.Queries = len(report.Catalogue())
	s.render(w, rq, code, "report_form", Page{Title: T(rq.lang, "ui.rep.title"), Nav: "analysis", Data: d})
	return nil
}

// startReport starts the report over the period given (both ends, or
// neither for every record) and goes to its progress page.
func (s *Server) startReport(w http.ResponseWriter, rq *request) error {
	from, to := strings.TrimSpace(rq.PostFormValue("from")), strings.TrimSpace(rq.PostFormValue("to"))
	wait, err := time.ParseDuration(rq.PostFormValue("wait"))
	if err != nil || !slices.Contains(waitChoices, wait) {
		wait = 0
	}
	d := reportFormData{From: from, To: to, Waits: waitOptions(rq.lang, wait)}
	var period string
	switch {
	case from == "" && to == "":
	case from == "" || to == "":
		d.PeriodProblem = T(rq.lang, "ui.rep.period_both")
		return s.renderReportForm(w, rq, formProblem, d)
	default:
		period = from + ".." + to
		if _, err := report.ParsePeriod(period); err != nil {
			d.PeriodProblem = err.Error()
			return s.renderReportForm(w, rq, formProblem, d)
		}
	}
	id, err := s.b.StartReport(rq.Context(), period, wait)
	if err != nil {
		d.Problem = err.Error()
		return s.renderReportForm(w, rq, formProblem, d)
	}
	s.log.Info("web interface: report started", "report", id)
	return redirect(w, rq, Prefix+"analysis/report/"+id)
}

// reportJobPage shows how far a report got; it refreshes itself
// (<meta http-equiv="refresh">) until the report is done, then links to
// it.
func (s *Server) reportJobPage(w http.ResponseWriter, rq *request) error {
	st, err := s.b.ReportJob(rq.Context(), rq.PathValue("id"))
	if err != nil {
		return &httpError{code: http.StatusNotFound, key: "ui.error.not_found", detail: err.Error()}
	}
	d := reportJobData{ID: st.ID, Done: st.Done, Error: st.Error, Queries: st.Progress.Queries, Asked: st.Progress.Asked, Answered: st.Progress.Answered}
	if st.Report != nil {
		d.Sections = len(st.Report.Sections)
		for _, sec := range st.Report.Sections {
			d.Figures += len(sec.Figures)
		}
	}
	s.render(w, rq, http.StatusOK, "report_job", Page{Title: T(rq.lang, "ui.rep.title"), Nav: "analysis", Data: d})
	return nil
}

// reportView serves the report as the HTML file kolo report writes, in
// the reader's language. The file is self-contained, its styles inline:
// it gets a Content-Security-Policy of its own that allows exactly those
// style blocks (by their SHA-256) and nothing else: no script, no
// request, no form, no frame.
func (s *Server) reportView(w http.ResponseWriter, rq *request) error {
	st, err := s.b.ReportJob(rq.Context(), rq.PathValue("id"))
	if err != nil {
		return &httpError{code: http.StatusNotFound, key: "ui.error.not_found", detail: err.Error()}
	}
	if !st.Done || st.Report == nil {
		return redirect(w, rq, Prefix+"analysis/report/"+st.ID)
	}
	// A copy: rendering fills in the labels of one language, and the job
	// keeps the report for other readers.
	var rep report.Report
	raw, err := json.Marshal(st.Report)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		return err
	}
	lang := rq.lang
	if report.CheckLang(lang) != nil {
		lang = "en"
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, &rep, report.HTML, report.RenderOptions{Lang: lang}); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Security-Policy", reportPolicy(buf.Bytes()))
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// Compressed for a browser that takes gzip: the report's charts are
	// verbose SVG, some 200 KB, a tenth of it compressed. The page holds no
	// secret (no CSRF token) and nothing the request put in it, so
	// compression gives a BREACH-style attack nothing to guess.
	gzhttp.GzipHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(buf.Bytes())
	})).ServeHTTP(w, rq.Request)
	return nil
}

// styleBlock matches an inline style element of the report's HTML.
var styleBlock = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// reportPolicy is the Content-Security-Policy of a report page: its
// inline style blocks by hash, images only as data: URLs, nothing else.
func reportPolicy(page []byte) string {
	var hashes []string
	for _, m := range styleBlock.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	style := "'none'"
	if len(hashes) > 0 {
		style = strings.Join(hashes, " ")
	}
	return "default-src 'none'; style-src " + style + "; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
}
