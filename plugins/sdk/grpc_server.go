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
	return &formpb.DescribeResponse{Forms: s.infos}, nil
}

// parallelMin is the fewest records per worker goroutine worth starting.
const parallelMin = 16

// Check checks the records of a batch, on as many goroutines as the
// process has CPUs: forms must be safe for concurrent use (gRPC calls
// them concurrently anyway). A failure of the plugin itself fails the
// batch, naming the first record it happened on.
func (s *formsServer) Check(ctx context.Context, req *formpb.CheckRequest) (*formpb.CheckResponse, error) {
	f, ok := s.byRef[formRef{req.GetFormId(), int(req.GetVersion())}]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "form %s@%d is not served by this plugin", req.GetFormId(), req.GetVersion())
	}
	answers := req.GetRecords()
	results := make([]*formpb.Result, len(answers))
	errs := make([]error, len(answers))
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(answers) || ctx.Err() != nil {
				return
			}
			results[i], errs[i] = checkWire(ctx, f, answers[i])
			if errs[i] != nil {
				next.Store(int64(len(answers))) // stop the other workers
				return
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(answers)/parallelMin)
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
		return nil, status.FromContextError(err).Err()
	}
	for i, err := range errs {
		if err != nil {
			return nil, status.Errorf(status.Code(err), "record %d: %v", i, status.Convert(err).Message())
		}
	}
	return &formpb.CheckResponse{Results: results}, nil
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
func checkRecord(ctx context.Context, f Form, a Answers) (Result, error) {
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
