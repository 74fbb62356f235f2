package sdk

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	formpb "github.com/kolo-net/kolo/plugins/sdk/proto"
)

// formsServer is the plugin's side of the Forms service.
type formsServer struct {
	formpb.UnimplementedFormsServer
	infos []*formpb.FormInfo
	byRef map[formRef]Form
}

type formRef struct {
	id      string
	version int
}

// newFormsServer describes every form once and indexes them by id and
// version. Two forms with the same id and version are an error.
func newFormsServer(ctx context.Context, forms []Form) (*formsServer, error) {
	if len(forms) == 0 {
		return nil, fmt.Errorf("no forms to serve")
	}
	s := &formsServer{byRef: make(map[formRef]Form, len(forms))}
	for i, f := range forms {
		if f == nil {
			return nil, fmt.Errorf("form #%d is nil", i)
		}
		fi, err := f.Describe(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe form #%d: %w", i, err)
		}
		ref := formRef{fi.ID, fi.Version}
		if _, dup := s.byRef[ref]; dup {
			return nil, fmt.Errorf("form %s is served twice", fi.Ref())
		}
		pfi, err := formInfoToPB(fi)
		if err != nil {
			return nil, err
		}
		s.byRef[ref] = f
		s.infos = append(s.infos, pfi)
	}
	return s, nil
}

func (s *formsServer) Describe(context.Context, *formpb.DescribeRequest) (*formpb.DescribeResponse, error) {
	return &formpb.DescribeResponse{Forms: s.infos, Features: []string{FeatureCheckPacked}}, nil
}

// parallelMin is the fewest records per worker goroutine worth starting.
const parallelMin = 16

// Check checks the records of a batch, on as many goroutines as the
// process has CPUs (see each). A failure of the plugin itself fails the
// batch, naming the first record it happened on.
func (s *formsServer) Check(ctx context.Context, req *formpb.CheckRequest) (*formpb.CheckResponse, error) {
	f, err := s.form(req.GetFormId(), req.GetVersion())
	if err != nil {
		return nil, err
	}
	answers := req.GetRecords()
	results := make([]*formpb.Result, len(answers))
	err = each(ctx, len(answers), func(i int) (err error) {
		results[i], err = checkWire(ctx, f, answers[i])
		return err
	})
	if err != nil {
		return nil, err
	}
	return &formpb.CheckResponse{Results: results}, nil
}

// CheckPacked is Check with the batch packed in columns (FeatureCheckPacked).
func (s *formsServer) CheckPacked(ctx context.Context, req *formpb.CheckPackedRequest) (*formpb.CheckPackedResponse, error) {
	f, err := s.form(req.GetFormId(), req.GetVersion())
	if err != nil {
		return nil, err
	}
	answers, err := packedAnswers(req.GetRecords())
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	results := make([]Result, len(answers))
	err = each(ctx, len(answers), func(i int) (err error) {
		if results[i], err = checkRecord(ctx, f, answers[i]); err != nil {
			return status.Error(codes.Internal, err.Error())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp := &formpb.CheckPackedResponse{}
	k := newPacker()
	for i, r := range results {
		if !r.Valid() {
			resp.Errors = append(resp.Errors, &formpb.RecordErrors{Record: uint32(i), Errors: fieldErrorsToPB(r.Errors)})
			r.Common = nil
		}
		if err := k.common(r.Common); err != nil {
			return nil, status.Errorf(codes.Internal, "record %d: %v", i, err)
		}
	}
	resp.Common = k.packed()
	return resp, nil
}

func (s *formsServer) form(id string, version int32) (Form, error) {
	f, ok := s.byRef[formRef{id, int(version)}]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "form %s@%d is not served by this plugin", id, version)
	}
	return f, nil
}

// each calls check for records 0..n-1 on as many goroutines as the
// process has CPUs: forms must be safe for concurrent use (gRPC calls
// them concurrently anyway). The first failure stops the others and is
// returned, naming its record, as a gRPC status.
func each(ctx context.Context, n int, check func(i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n || ctx.Err() != nil {
				return
			}
			if errs[i] = check(i); errs[i] != nil {
				next.Store(int64(n)) // stop the other workers
				return
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), n/parallelMin)
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return status.FromContextError(err).Err()
	}
	for i, err := range errs {
		if err != nil {
			return status.Errorf(status.Code(err), "record %d: %v", i, status.Convert(err).Message())
		}
	}
	return nil
}

// checkWire checks one record as it crossed the wire.
func checkWire(ctx context.Context, f Form, rec *formpb.Record) (*formpb.Result, error) {
	a, err := answersFromPB(rec)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	r, err := checkRecord(ctx, f, a)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	pr := &formpb.Result{Errors: fieldErrorsToPB(r.Errors)}
	if r.Valid() {
		if pr.Common, err = commonToPB(r.Common); err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
	}
	return pr, nil
}

// checkRecord validates one record and normalises it when it is valid.
// A Spec checks the answers once (its Normalize checks them again, as
// it must when called alone).
func checkRecord(ctx context.Context, f Form, a Answers) (Result, error) {
	if s, ok := f.(Spec); ok {
		if err := ctx.Err(); err != nil {
			return Result{}, fmt.Errorf("validate: %w", err)
		}
		if errs := s.check(a); len(errs) > 0 {
			return Result{Errors: errs}, nil
		}
		c, err := s.normalize(a)
		if err != nil {
			return Result{}, fmt.Errorf("normalize: %w", err)
		}
		return Result{Common: c}, nil
	}
	errs, err := f.Validate(ctx, a)
	if err != nil {
		return Result{}, fmt.Errorf("validate: %w", err)
	}
	if len(errs) > 0 {
		return Result{Errors: errs}, nil
	}
	c, err := f.Normalize(ctx, a)
	if err != nil {
		return Result{}, fmt.Errorf("normalize: %w", err)
	}
	return Result{Common: c}, nil
}
