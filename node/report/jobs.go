package report

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Jobs runs reports in the background for the local API: `kolo report`
// starts one and polls it, showing its progress, until it is done. One
// report runs at a time; a finished one is kept for jobKeep.
type Jobs struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu   sync.Mutex
	jobs map[string]*job
}

// jobKeep is how long a finished report stays to be fetched.
const jobKeep = 30 * time.Minute

type job struct {
	id       string
	progress Progress
	done     bool
	finished time.Time
	report   *Report
	err      error
	changed  chan struct{} // closed and replaced at every change
}

// JobState is a report job as the API returns it.
type JobState struct {
	ID       string   `json:"id"`
	Progress Progress `json:"progress"`
	Done     bool     `json:"done"`
	Error    string   `json:"error,omitempty"`
	Report   *Report  `json:"report,omitempty"`
}

// ErrNoSuchJob says that no report job has the id given.
var ErrNoSuchJob = errors.New("no such report (it may have finished more than 30 minutes ago)")

// ErrBusy says that a report is being made already.
var ErrBusy = errors.New("a report is being made on this node already; wait for it to finish")

// NewJobs returns an empty set of jobs; Close stops the running one.
func NewJobs() *Jobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &Jobs{ctx: ctx, cancel: cancel, jobs: map[string]*job{}}
}

// Close cancels the running report and waits for it.
func (j *Jobs) Close() {
	j.cancel()
	j.wg.Wait()
}

// Start runs run in the background and returns the job's id.
func (j *Jobs) Start(run func(ctx context.Context, progress func(Progress)) (*Report, error)) (string, error) {
	if j.ctx.Err() != nil {
		return "", errors.New("the node is stopping")
	}
	b := make([]byte, 8)
	rand.Read(b)
	jb := &job{id: hex.EncodeToString(b), changed: make(chan struct{})}
	j.mu.Lock()
	for id, o := range j.jobs {
		if !o.done {
			j.mu.Unlock()
			return "", ErrBusy
		}
		if time.Since(o.finished) > jobKeep {
			delete(j.jobs, id)
		}
	}
	j.jobs[jb.id] = jb
	j.mu.Unlock()
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		rep, err := run(j.ctx, func(p Progress) {
			j.mu.Lock()
			jb.progress = p
			j.changedLocked(jb)
			j.mu.Unlock()
		})
		j.mu.Lock()
		jb.report, jb.err, jb.done, jb.finished = rep, err, true, time.Now()
		j.changedLocked(jb)
		j.mu.Unlock()
	}()
	return jb.id, nil
}

func (j *Jobs) changedLocked(jb *job) {
	close(jb.changed)
	jb.changed = make(chan struct{})
}

// Get returns job id's state, first waiting up to wait for it to change
// (a query answered, or the report done).
func (j *Jobs) Get(ctx context.Context, id string, wait time.Duration) (JobState, error) {
	j.mu.Lock()
	jb, ok := j.jobs[id]
	if !ok {
		j.mu.Unlock()
		return JobState{}, fmt.Errorf("report %q: %w", id, ErrNoSuchJob)
	}
	changed, done := jb.changed, jb.done
	j.mu.Unlock()
	if !done && wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-changed:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	st := JobState{ID: jb.id, Progress: jb.progress, Done: jb.done, Report: jb.report}
	if jb.err != nil {
		st.Error = jb.err.Error()
	}
	return st, nil
}
