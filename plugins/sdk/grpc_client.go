package sdk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	formpb "github.com/kolo-net/kolo/plugins/sdk/proto"
)

// RemoteForms is the host's side of the Forms service: the forms of one
// plugin process, called over gRPC. Every method honours ctx's deadline and
// cancellation. plugins/host wraps it with process supervision; use that
// rather than RemoteForms directly.
type RemoteForms struct {
	c formpb.FormsClient
	// CallTimeout, when above zero, bounds each gRPC call on top of the
	// caller's context. The error of a call it cuts off wraps
	// ErrCallTimeout; one cut off by the caller's deadline wraps
	// context.DeadlineExceeded.
	CallTimeout time.Duration
	// packed is set when the plugin's Describe listed FeatureCheckPacked:
	// Check then calls CheckPacked.
	packed atomic.Bool
}

// ErrCallTimeout is wrapped by the error of a call that RemoteForms'
// CallTimeout cut off, as opposed to the caller's own deadline.
var ErrCallTimeout = errors.New("no answer within the call timeout")

// callCtx bounds one call by CallTimeout. ours reports whether that bound
// comes before the caller's own deadline: gRPC reports both the same way,
// and a server's deadline may fire a moment before the caller's ctx does.
func (r *RemoteForms) callCtx(ctx context.Context) (_ context.Context, cancel context.CancelFunc, ours bool) {
	if r.CallTimeout <= 0 {
		ctx, cancel = context.WithCancel(ctx)
		return ctx, cancel, false
	}
	end := time.Now().Add(r.CallTimeout)
	dl, ok := ctx.Deadline()
	ctx, cancel = context.WithDeadline(ctx, end)
	return ctx, cancel, !ok || end.Before(dl)
}

// callError explains a failed call: ErrCallTimeout when CallTimeout cut it
// off, context.DeadlineExceeded when the caller's deadline did.
func (r *RemoteForms) callError(err error, ours bool) error {
	if status.Code(err) != codes.DeadlineExceeded {
		return err
	}
	if ours {
		return fmt.Errorf("%w (%s): %w", ErrCallTimeout, r.CallTimeout, err)
	}
	return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
}

// NewRemoteForms returns the Forms client on conn.
func NewRemoteForms(conn grpc.ClientConnInterface) *RemoteForms {
	return &RemoteForms{c: formpb.NewFormsClient(conn)}
}

// Describe lists every form, in every version, that the plugin serves.
func (r *RemoteForms) Describe(ctx context.Context) ([]FormInfo, error) {
	ctx, cancel, ours := r.callCtx(ctx)
	defer cancel()
	resp, err := r.c.Describe(ctx, &formpb.DescribeRequest{})
	if err != nil {
		return nil, fmt.Errorf("describe: %w", r.callError(err, ours))
	}
	out := make([]FormInfo, len(resp.GetForms()))
	for i, p := range resp.GetForms() {
		out[i] = formInfoFromPB(p)
	}
	r.packed.Store(slices.Contains(resp.GetFeatures(), FeatureCheckPacked))
	return out, nil
}

// Check validates records entered on form id at version and normalises the
// valid ones. It returns one Result per record, in order. Records are sent
// in batches of at most BatchRecords records and BatchBytes encoded, with
// up to BatchesInFlight calls at once, so that encoding one batch here
// overlaps checking another in the plugin. A plugin whose Describe listed
// FeatureCheckPacked is sent them packed (CheckPacked).
func (r *RemoteForms) Check(ctx context.Context, id string, version int, answers []Answers) ([]Result, error) {
	if version < 1 || version > math.MaxInt32 {
		return nil, fmt.Errorf("check %s@%d: version must be 1..%d", id, version, math.MaxInt32)
	}
	if r.packed.Load() {
		return r.checkPacked(ctx, id, version, answers)
	}
	results := make([]Result, len(answers))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(BatchesInFlight)
	req := &formpb.CheckRequest{FormId: id, Version: int32(version)}
	start, size := 0, 0
	send := func() {
		if len(req.Records) == 0 {
			return
		}
		req, first := req, start
		g.Go(func() error { return r.checkBatch(gctx, req, results[first:first+len(req.Records)], first) })
	}
	for i, a := range answers {
		if err := gctx.Err(); err != nil {
			break // a batch failed, or ctx ended: g.Wait says which
		}
		rec, err := answersToPB(a)
		n := proto.Size(rec)
		if err == nil && n > MaxRecordBytes {
			err = fmt.Errorf("answers are %d bytes encoded; the cap is %d", n, MaxRecordBytes)
		}
		if err != nil {
			g.Go(func() error { return fmt.Errorf("check %s@%d, record %d: %w", id, version, i, err) })
			break
		}
		if len(req.Records) == BatchRecords || size+n > BatchBytes {
			send()
			req = &formpb.CheckRequest{FormId: id, Version: int32(version)}
			start, size = i, 0
		}
		req.Records = append(req.Records, rec)
		size += n
	}
	send()
	err := g.Wait()
	if ctx.Err() != nil {
		// The caller's cancellation, not a plugin failure, ended the calls
		// (or kept some records from being sent at all).
		return nil, fmt.Errorf("check %s@%d: %w", id, version, ctx.Err())
	}
	if err != nil {
		return nil, err
	}
	return results, nil
}

// checkBatch makes one Check call and decodes its results into out; first
// is the index of the batch's first record, for messages.
func (r *RemoteForms) checkBatch(ctx context.Context, req *formpb.CheckRequest, out []Result, first int) error {
	ref := fmt.Sprintf("%s@%d", req.FormId, req.Version)
	ctx, cancel, ours := r.callCtx(ctx)
	defer cancel()
	resp, err := r.c.Check(ctx, req)
	if err != nil {
		return fmt.Errorf("check %s, records %d..%d: %w", ref, first, first+len(req.Records)-1, r.callError(err, ours))
	}
	if i, err := decodeResults(resp, out); err != nil {
		if i < 0 {
			return fmt.Errorf("check %s, records %d..%d: %w", ref, first, first+len(req.Records)-1, err)
		}
		return fmt.Errorf("check %s, record %d: %w", ref, first+i, err)
	}
	return nil
}

// decodeResults decodes a plugin's answer to a Check of len(out) records
// into out. On error it returns the index of the result at fault, or -1
// when the answer as a whole is (a count of results that is not the
// count of records).
func decodeResults(resp *formpb.CheckResponse, out []Result) (int, error) {
	if got, want := len(resp.GetResults()), len(out); got != want {
		return -1, fmt.Errorf("plugin returned %d results for %d records", got, want)
	}
	for i, pr := range resp.GetResults() {
		res := Result{Errors: fieldErrorsFromPB(pr.GetErrors())}
		c, err := commonFromPB(pr.GetCommon())
		if err != nil {
			return i, err
		}
		if len(res.Errors) > 0 && len(c) > 0 {
			return i, errors.New("plugin returned both errors and indicators")
		}
		res.Common = c
		out[i] = res
	}
	return 0, nil
}

// checkPacked is Check through CheckPacked: the same batches, packed.
func (r *RemoteForms) checkPacked(ctx context.Context, id string, version int, answers []Answers) ([]Result, error) {
	results := make([]Result, len(answers))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(BatchesInFlight)
	k, start, size := newPacker(), 0, 0
	send := func(end int) {
		if end == start {
			return
		}
		req := &formpb.CheckPackedRequest{FormId: id, Version: int32(version), Records: k.packed()}
		out, first := results[start:end], start
		g.Go(func() error { return r.checkPackedBatch(gctx, req, out, first) })
	}
	for i, a := range answers {
		if err := gctx.Err(); err != nil {
			break // a batch failed, or ctx ended: g.Wait says which
		}
		if i-start == BatchRecords || size > BatchBytes {
			// The record that crossed BatchBytes is in the batch: a
			// batch is at most one record (MaxRecordBytes) over.
			send(i)
			k, start, size = newPacker(), i, 0
		}
		n, err := k.answers(a)
		if err == nil && n > MaxRecordBytes {
			err = fmt.Errorf("answers are %d bytes encoded; the cap is %d", n, MaxRecordBytes)
		}
		if err != nil {
			g.Go(func() error { return fmt.Errorf("check %s@%d, record %d: %w", id, version, i, err) })
			start = -1
			break
		}
		size += n
	}
	if start >= 0 && gctx.Err() == nil {
		send(len(answers))
	}
	err := g.Wait()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("check %s@%d: %w", id, version, ctx.Err())
	}
	if err != nil {
		return nil, err
	}
	return results, nil
}

// checkPackedBatch makes one CheckPacked call and decodes its results
// into out; first is the index of the batch's first record, for messages.
func (r *RemoteForms) checkPackedBatch(ctx context.Context, req *formpb.CheckPackedRequest, out []Result, first int) error {
	ref := fmt.Sprintf("%s@%d", req.FormId, req.Version)
	ctx, cancel, ours := r.callCtx(ctx)
	defer cancel()
	resp, err := r.c.CheckPacked(ctx, req)
	if err != nil {
		return fmt.Errorf("check %s, records %d..%d: %w", ref, first, first+len(out)-1, r.callError(err, ours))
	}
	if i, err := decodePackedResults(resp, out); err != nil {
		if i < 0 {
			return fmt.Errorf("check %s, records %d..%d: %w", ref, first, first+len(out)-1, err)
		}
		return fmt.Errorf("check %s, record %d: %w", ref, first+i, err)
	}
	return nil
}

// decodePackedResults is decodeResults for CheckPacked's answer.
func decodePackedResults(resp *formpb.CheckPackedResponse, out []Result) (int, error) {
	if got, want := len(resp.GetCommon().GetCounts()), len(out); got != want {
		return -1, fmt.Errorf("plugin returned %d results for %d records", got, want)
	}
	commons, err := unpackMaps(resp.GetCommon(), false)
	if err != nil {
		return -1, fmt.Errorf("plugin returned indicators that do not decode: %w", err)
	}
	for i, c := range commons {
		out[i] = Result{Common: c}
	}
	next := 0
	for _, re := range resp.GetErrors() {
		i := int(re.GetRecord())
		switch {
		case i < next || i >= len(out):
			return -1, fmt.Errorf("plugin returned errors for record %d, out of order or not in the batch", re.GetRecord())
		case len(re.GetErrors()) == 0:
			return i, errors.New("plugin named the record in errors but gave none")
		case len(out[i].Common) > 0:
			return i, errors.New("plugin returned both errors and indicators")
		}
		out[i].Errors = fieldErrorsFromPB(re.GetErrors())
		next = i + 1
	}
	return 0, nil
}
