package sdk

import (
	"context"
	"errors"
	"math"
	"net"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	formpb "github.com/kolo-net/kolo/plugins/sdk/proto"
)

// wireSpec is a judgment form that exercises every value type on the wire.
func wireSpec() Spec {
	fields := IndicatorFields(KindJudgment, "verdict", "sentence_months", "compensation_awarded_eur",
		"assets_frozen", "decision_date", "international_law_cited")
	fields[0] = fields[0].Require()
	fields = append(fields, Field{ID: "case_number", Type: TypeString, MaxLen: 50000, Label: Label{"en": "Case number"}, Personal: true})
	return Spec{
		Info: FormInfo{ID: "zz.judgment", Version: 1, Kind: KindJudgment, Country: "ZZ",
			CodeVersion: "test code", Title: Label{"en": "Judgment", "sq": "Vendim"}, Fields: fields},
		Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) },
	}
}

var wireValid = Answers{
	"verdict": "convicted", "sentence_months": 48.0, "compensation_awarded_eur": 2500.5,
	"assets_frozen": true, "decision_date": "2024-03-01", "international_law_cited": []any{"palermo", "echr_art4"},
	"case_number": "K 12/24",
}

// remoteOver serves forms through go-plugin's in-process gRPC test
// connection and returns the host's client.
func remoteOver(t *testing.T, forms ...Form) *RemoteForms {
	t.Helper()
	client, _ := plugin.TestPluginGRPCConn(t, false, PluginSet(forms...))
	t.Cleanup(func() { client.Close() })
	raw, err := client.Dispense(PluginName)
	if err != nil {
		t.Fatal(err)
	}
	return raw.(*RemoteForms)
}

func TestDescribeRoundTrip(t *testing.T) {
	t.Parallel()
	s := wireSpec()
	s2 := s.Next(2, Field{ID: "notes", Type: TypeText, FreeText: true, Label: Label{"en": "Notes"}, Help: Label{"en": "Never shared"}})
	r := remoteOver(t, s, s2)
	got, err := r.Describe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !reflect.DeepEqual(got[0], s.Info) || !reflect.DeepEqual(got[1], s2.Info) {
		t.Fatalf("describe:\n got %+v\nwant %+v\n     %+v", got, s.Info, s2.Info)
	}
}

func TestCheckRoundTrip(t *testing.T) {
	t.Parallel()
	r := remoteOver(t, wireSpec())
	res, err := r.Check(context.Background(), "zz.judgment", 1, []Answers{
		wireValid,
		{"verdict": "maybe", "sentence_months": "12 mj"},
		nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Common{
		"verdict": "convicted", "sentence_months": int64(48), "compensation_awarded_eur": 2500.5,
		"assets_frozen": true, "decision_date": "2024-03-01", "international_law_cited": []string{"palermo", "echr_art4"},
	}
	if len(res) != 3 || !reflect.DeepEqual(res[0], Result{Common: want}) {
		t.Fatalf("record 0:\n got %#v\nwant %#v", res[0], want)
	}
	wantErrs := []FieldError{
		{Field: "verdict", Rule: "must be one of convicted, acquitted, dismissed, plea_agreement", Got: "maybe",
			Code: RuleOneOf, Args: []string{"convicted", "acquitted", "dismissed", "plea_agreement"}},
		{Field: "sentence_months", Rule: "must be 0..600", Got: "12 mj", Code: RuleRange, Args: []string{"0", "600"}},
	}
	if !reflect.DeepEqual(res[1], Result{Errors: wantErrs}) {
		t.Errorf("record 1:\n got %#v\nwant %#v", res[1], wantErrs)
	}
	if res[2].Valid() || !reflect.DeepEqual(res[2].Errors[0], FieldError{Field: "verdict", Rule: "is required", Code: RuleRequired}) {
		t.Errorf("record 2 (nil answers): %#v", res[2])
	}
	// The same records in-process give the same results.
	for i, a := range []Answers{wireValid} {
		local, err := checkRecord(context.Background(), wireSpec(), a)
		if err != nil || !reflect.DeepEqual(local, res[i]) {
			t.Errorf("record %d in-process: %#v, %v", i, local, err)
		}
	}
}

func TestCheckUnknownForm(t *testing.T) {
	t.Parallel()
	r := remoteOver(t, wireSpec())
	_, err := r.Check(context.Background(), "zz.judgment", 2, []Answers{wireValid})
	if status.Code(err) != codes.NotFound || !strings.Contains(err.Error(), "form zz.judgment@2 is not served by this plugin") {
		t.Fatalf("got %v", err)
	}
	if _, err := r.Check(context.Background(), "zz.judgment", 0, []Answers{wireValid}); err == nil || !strings.Contains(err.Error(), "version must be 1..") {
		t.Fatalf("version 0: got %v", err)
	}
}

// wireServer serves forms on a loopback gRPC server with the plugin's
// options and counts the Check calls it receives.
func wireServer(t *testing.T, forms ...Form) (*RemoteForms, *atomic.Int64) {
	t.Helper()
	srv, err := newFormsServer(context.Background(), forms)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	count := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if strings.HasSuffix(info.FullMethod, "/Check") {
			calls.Add(1)
		}
		return h(ctx, req)
	}
	gs := grpc.NewServer(append(GRPCServerOptions(), grpc.UnaryInterceptor(count))...)
	formpb.RegisterFormsServer(gs, srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go gs.Serve(ln)
	t.Cleanup(gs.Stop)
	conn, err := grpc.NewClient(ln.Addr().String(), append(GRPCDialOptions(), grpc.WithTransportCredentials(insecure.NewCredentials()))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return NewRemoteForms(conn), &calls
}

func TestCheckSplitsLargeBatches(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		records int
		padding int
	}{
		{"by count", 1000, 0},   // small records: BatchRecords per call
		{"by size", 300, 30000}, // 30 kB records: about 34 per call
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, calls := wireServer(t, wireSpec())
			answers := make([]Answers, tc.records)
			for i := range answers {
				a := Answers{}
				for k, v := range wireValid {
					a[k] = v
				}
				a["sentence_months"] = float64(i % 600)
				if tc.padding > 0 {
					a["case_number"] = strings.Repeat("x", tc.padding)
				}
				answers[i] = a
			}
			rec, _ := answersToPB(answers[100])
			size := proto.Size(rec)
			perCall := min(BatchRecords, BatchBytes/size)
			want := (tc.records + perCall - 1) / perCall
			res, err := r.Check(context.Background(), "zz.judgment", 1, answers)
			if err != nil {
				t.Fatal(err)
			}
			if got := calls.Load(); got != int64(want) {
				t.Errorf("calls: got %d, want %d (%d records of %d bytes)", got, want, tc.records, size)
			}
			for i, r := range res {
				if r.Common["sentence_months"] != int64(i%600) {
					t.Fatalf("record %d out of order: %v", i, r.Common["sentence_months"])
				}
			}
		})
	}
}

// A failure in one batch fails the whole check and names the record.
func TestCheckFailsWholeBatch(t *testing.T) {
	t.Parallel()
	r, _ := wireServer(t, brokenForm{Spec: wireSpec(), err: errors.New("boom")})
	answers := make([]Answers, 1000)
	for i := range answers {
		answers[i] = Answers{"verdict": "x"} // invalid: Normalize is not reached
	}
	answers[700] = wireValid
	_, err := r.Check(context.Background(), "zz.judgment", 1, answers)
	if status.Code(err) != codes.Internal || !strings.Contains(err.Error(), "records 512..767") || !strings.Contains(err.Error(), "record 188: normalize: boom") {
		t.Fatalf("got %v", err)
	}
}

func TestCheckCapsRecordSize(t *testing.T) {
	t.Parallel()
	r, calls := wireServer(t, wireSpec())
	big := Answers{"verdict": "convicted", "case_number": strings.Repeat("x", MaxRecordBytes)}
	_, err := r.Check(context.Background(), "zz.judgment", 1, []Answers{wireValid, big})
	if err == nil || !strings.Contains(err.Error(), "record 1: answers are 10486") || !strings.Contains(err.Error(), " bytes encoded; the cap is 1048576") {
		t.Fatalf("got %v", err)
	}
	if calls.Load() != 0 {
		t.Fatal("an oversized batch reached the plugin")
	}
}

// The server refuses a message over MaxMessageBytes, whoever sends it.
func TestServerCapsMessages(t *testing.T) {
	t.Parallel()
	r, _ := wireServer(t, wireSpec())
	req := &formpb.CheckRequest{FormId: "zz.judgment", Version: 1}
	for range 40 {
		rec, _ := answersToPB(Answers{"case_number": strings.Repeat("x", 1<<20)})
		req.Records = append(req.Records, rec)
	}
	_, err := r.c.Check(context.Background(), req, grpc.MaxCallSendMsgSize(math.MaxInt32))
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("got %v, want ResourceExhausted", err)
	}
}

type slowForm struct{ Spec }

func (s slowForm) Validate(ctx context.Context, a Answers) ([]FieldError, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestCallTimeout(t *testing.T) {
	t.Parallel()
	r, _ := wireServer(t, slowForm{wireSpec()})
	r.CallTimeout = 100 * time.Millisecond
	_, err := r.Check(context.Background(), "zz.judgment", 1, []Answers{wireValid})
	if !errors.Is(err, ErrCallTimeout) || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within the call timeout (100ms)") {
		t.Fatalf("got %v", err)
	}
	// The caller's own deadline is honoured too, and told apart.
	r.CallTimeout = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := r.Check(ctx, "zz.judgment", 1, []Answers{wireValid}); !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrCallTimeout) {
		t.Fatalf("caller deadline: got %v", err)
	}
	if _, err := r.Describe(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("describe after the caller's deadline: got %v", err)
	}
}

func TestCheckCancelledBeforehand(t *testing.T) {
	t.Parallel()
	r, calls := wireServer(t, wireSpec())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res, err := r.Check(ctx, "zz.judgment", 1, []Answers{wireValid}); !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("got %v, %v", res, err)
	}
	if calls.Load() != 0 {
		t.Fatal("a cancelled check reached the plugin")
	}
}

type brokenForm struct {
	Spec
	common Common
	err    error
}

func (b brokenForm) Normalize(context.Context, Answers) (Common, error) { return b.common, b.err }

func TestServerReportsPluginFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		form brokenForm
		want string
	}{
		{brokenForm{err: errors.New("boom")}, "record 1: normalize: boom"},
		{brokenForm{common: Common{"verdict": struct{}{}}}, "record 1: indicator verdict: value of type struct {}"},
		{brokenForm{common: Common{"international_law_cited": []any{"palermo", 3}}}, "record 1: indicator international_law_cited: element 1 is int"},
		{brokenForm{common: Common{"victims": uint64(math.MaxUint64)}}, "record 1: indicator victims: 18446744073709551615 is out of the int64 range"},
	} {
		tc.form.Spec = wireSpec()
		r, _ := wireServer(t, tc.form)
		_, err := r.Check(context.Background(), "zz.judgment", 1, []Answers{{"verdict": "x"}, wireValid})
		if status.Code(err) != codes.Internal || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

func TestCommonWireTypes(t *testing.T) {
	t.Parallel()
	in := Common{"a": 3, "b": int32(4), "c": uint8(5), "d": float32(1.5), "e": nil, "f": []any{"x"}, "g": []string{}, "h": "s", "i": false}
	pb, err := commonToPB(in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := proto.Marshal(&formpb.Result{Common: pb})
	if err != nil {
		t.Fatal(err)
	}
	var back formpb.Result
	if err := proto.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got, err := commonFromPB(back.GetCommon())
	if err != nil {
		t.Fatal(err)
	}
	want := Common{"a": int64(3), "b": int64(4), "c": int64(5), "d": 1.5, "f": []string{"x"}, "g": []string{}, "h": "s", "i": false}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
	if _, err := commonFromPB([]*formpb.Indicator{{Name: "x"}}); err == nil || err.Error() != "indicator x: no value" {
		t.Fatalf("no value: %v", err)
	}
	if _, err := commonFromPB(append(pb, pb[0])); err == nil || err.Error() != "indicator a: given twice" {
		t.Fatalf("twice: %v", err)
	}
}

func TestServeConfigRefusesBadFormSets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		forms []Form
		want  string
	}{
		{nil, "no forms to serve"},
		{[]Form{wireSpec(), wireSpec()}, "form zz.judgment@1 is served twice"},
		{[]Form{wireSpec(), nil}, "form #1 is nil"},
	} {
		if _, err := ServeConfig(tc.forms...); err == nil || err.Error() != tc.want {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	cfg, err := ServeConfig(wireSpec())
	if err != nil || cfg.HandshakeConfig != Handshake || cfg.GRPCServer == nil {
		t.Fatalf("config: %+v, %v", cfg, err)
	}
}

// FuzzCheckRequest feeds the plugin's Check handler arbitrary requests,
// as anything that reached the plugin's socket could send them. It must
// answer or refuse, never panic, and answer one result per record.
func FuzzCheckRequest(f *testing.F) {
	srv, err := newFormsServer(context.Background(), []Form{wireSpec()})
	if err != nil {
		f.Fatal(err)
	}
	for _, a := range []Answers{wireValid, {}, {"verdict": nil}, {"verdict": map[string]any{"a": 1.0}},
		{"international_law_cited": []any{nil, 1.0}}, {"decision_date": "2024-02-30"}, {"sentence_months": 1e300}} {
		rec, err := answersToPB(a)
		if err != nil {
			f.Fatal(err)
		}
		b, _ := proto.Marshal(&formpb.CheckRequest{FormId: "zz.judgment", Version: 1, Records: []*formpb.Record{rec}})
		f.Add(b)
	}
	f.Add([]byte{0x1a, 0x04, 0x0a, 0x02, 0x38, 0x00}) // an answer with an empty JSON value
	f.Fuzz(func(t *testing.T, b []byte) {
		var req formpb.CheckRequest
		if proto.Unmarshal(b, &req) != nil {
			return
		}
		req.FormId, req.Version = "zz.judgment", 1
		resp, err := srv.Check(context.Background(), &req)
		if err != nil {
			if status.Code(err) != codes.InvalidArgument {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(resp.Results) != len(req.Records) {
			t.Fatalf("%d results for %d records", len(resp.Results), len(req.Records))
		}
	})
}

// FuzzAnswersRoundTrip checks that any JSON object of answers reaches the
// plugin exactly as encoding/json decodes it in-process.
func FuzzAnswersRoundTrip(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":null,"b":1.5,"c":true,"d":"x","e":["p","q"],"f":[],"g":{"h":[1,"x"]},"i":[null]}`,
		`{"verdict":"convicted","sentence_months":48,"international_law_cited":["palermo"]}`, `{"a":-0,"b":1e308}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseAnswers(b)
		if err != nil {
			return
		}
		rec, err := answersToPB(a)
		if err != nil {
			t.Fatalf("encode %s: %v", b, err)
		}
		wire, err := proto.Marshal(rec)
		if err != nil {
			t.Fatalf("marshal %s: %v", b, err)
		}
		var back formpb.Record
		if err := proto.Unmarshal(wire, &back); err != nil {
			t.Fatal(err)
		}
		got, err := answersFromPB(&back)
		if err != nil {
			t.Fatalf("decode %s: %v", b, err)
		}
		if !reflect.DeepEqual(got, a) {
			t.Fatalf("%s:\n got %#v\nwant %#v", b, got, a)
		}
	})
}

// FuzzCheckResponse feeds the host's decoding of a plugin's answer to a
// Check (decodeResults, as RemoteForms.Check runs it) arbitrary bytes, as
// a misbehaving plugin could send them, for a request of n records. What
// it accepts is exactly one result per record, each holding either field
// errors (as sent) or indicators (each once, in a type Common documents,
// the same after encoding again), never both; what it refuses breaks one
// of these rules, and the error says which result.
func FuzzCheckResponse(f *testing.F) {
	pb, _ := commonToPB(Common{"verdict": "convicted", "victims": 2, "international_law_cited": []string{"palermo"}, "assets_frozen": true, "compensation_awarded_eur": 1.5})
	good, _ := proto.Marshal(&formpb.CheckResponse{Results: []*formpb.Result{{Common: pb}, {Errors: []*formpb.FieldError{{Field: "verdict", Rule: "is required"}}}}})
	f.Add(uint8(2), good)
	f.Add(uint8(1), good)
	both, _ := proto.Marshal(&formpb.CheckResponse{Results: []*formpb.Result{{Common: pb, Errors: []*formpb.FieldError{{Field: "verdict", Rule: "x"}}}}})
	f.Add(uint8(1), both)
	dup, _ := proto.Marshal(&formpb.CheckResponse{Results: []*formpb.Result{{Common: append(pb, pb[0])}}})
	f.Add(uint8(1), dup)
	f.Add(uint8(0), []byte{})
	f.Add(uint8(1), []byte{0x0a, 0x02, 0x12, 0x00})
	f.Fuzz(func(t *testing.T, n uint8, b []byte) {
		var resp formpb.CheckResponse
		if proto.Unmarshal(b, &resp) != nil {
			return
		}
		out := make([]Result, n%32)
		at, err := decodeResults(&resp, out)
		if err != nil {
			if at < 0 {
				if len(resp.GetResults()) == len(out) {
					t.Fatalf("refused the count of %d results for %d records: %v", len(resp.GetResults()), len(out), err)
				}
				return
			}
			if at >= len(resp.GetResults()) || validWireResult(resp.GetResults()[at]) {
				t.Fatalf("refused result %d, which is well made: %v", at, err)
			}
			return
		}
		if len(resp.GetResults()) != len(out) {
			t.Fatalf("accepted %d results for %d records", len(resp.GetResults()), len(out))
		}
		for i, pr := range resp.GetResults() {
			if !validWireResult(pr) {
				t.Fatalf("accepted result %d, which is not well made: %v", i, pr)
			}
			r := out[i]
			if len(r.Errors) != len(pr.GetErrors()) {
				t.Fatalf("result %d: %d errors decoded from %d", i, len(r.Errors), len(pr.GetErrors()))
			}
			for j, e := range pr.GetErrors() {
				if !reflect.DeepEqual(r.Errors[j], FieldError{Field: e.GetField(), Rule: e.GetRule(), Got: e.GetGot(), Code: e.GetCode(), Args: e.GetArgs()}) {
					t.Fatalf("result %d error %d: %+v decoded from %v", i, j, r.Errors[j], e)
				}
			}
			if len(r.Common) != len(pr.GetCommon()) {
				t.Fatalf("result %d: %d indicators decoded from %d", i, len(r.Common), len(pr.GetCommon()))
			}
			for name, v := range r.Common {
				switch v.(type) {
				case int64, float64, bool, string, []string:
				default:
					t.Fatalf("result %d: indicator %q decoded as %T", i, name, v)
				}
			}
			again, err := commonToPB(r.Common)
			if err != nil {
				t.Fatalf("result %d: decoded indicators do not encode: %v", i, err)
			}
			back, err := commonFromPB(again)
			if err != nil || !sameCommon(back, r.Common) {
				t.Fatalf("result %d: indicators %v came back as %v (%v)", i, r.Common, back, err)
			}
		}
	})
}

// validWireResult says whether a plugin's result is well made, from the
// rules alone: errors or indicators, not both; each indicator named once
// and holding a value.
func validWireResult(pr *formpb.Result) bool {
	if len(pr.GetErrors()) > 0 && len(pr.GetCommon()) > 0 {
		return false
	}
	seen := map[string]bool{}
	for _, in := range pr.GetCommon() {
		if seen[in.GetName()] || in.GetValue() == nil {
			return false
		}
		seen[in.GetName()] = true
	}
	return true
}

// sameCommon compares indicators, a NaN equal to a NaN.
func sameCommon(a, b Common) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok {
			return false
		}
		if fa, ok := va.(float64); ok {
			fb, ok := vb.(float64)
			if !ok || !(fa == fb || (math.IsNaN(fa) && math.IsNaN(fb))) {
				return false
			}
			continue
		}
		if !reflect.DeepEqual(va, vb) {
			return false
		}
	}
	return true
}
