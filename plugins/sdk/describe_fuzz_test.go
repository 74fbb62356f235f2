package sdk

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	formpb "github.com/kolo-net/kolo/plugins/sdk/proto"
	"google.golang.org/protobuf/proto"
)

// describeSeeds are DescribeResponses made of the built-in forms' pinned
// schemas (plugins/forms/*/testdata/*.schema.json): one per country with
// all its forms, as a built-in plugin answers, and one per form.
func describeSeeds(tb testing.TB) [][]byte {
	files, _ := filepath.Glob(filepath.Join("..", "forms", "*", "testdata", "*.schema.json"))
	byCountry := map[string]*formpb.DescribeResponse{}
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		var fi FormInfo
		if err := json.Unmarshal(b, &fi); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		p, err := formInfoToPB(fi)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		one, _ := proto.Marshal(&formpb.DescribeResponse{Forms: []*formpb.FormInfo{p}})
		out = append(out, one)
		if byCountry[fi.Country] == nil {
			byCountry[fi.Country] = &formpb.DescribeResponse{}
		}
		byCountry[fi.Country].Forms = append(byCountry[fi.Country].Forms, p)
	}
	for _, r := range byCountry {
		b, _ := proto.Marshal(r)
		out = append(out, b)
	}
	return out
}

// FuzzDescribeResponse feeds the host's reading of a plugin's Describe
// answer (protobuf decoding, formInfoFromPB, then CheckVersions, as
// plugins/host does before it uses a plugin's forms) arbitrary bytes, as a
// misbehaving plugin could send them. A description the host accepts must
// be usable without surprise: it encodes back to the same form, every
// field and option has a label in every language (falling back to
// English), and the node's generic checks (ValidateAnswers,
// AnswersFromStrings) handle answers of every type to it, naming only the
// form's fields and capping their errors.
func FuzzDescribeResponse(f *testing.F) {
	seeds := describeSeeds(f)
	if len(seeds) == 0 {
		f.Fatal("no seeds: no plugins/forms/*/testdata/*.schema.json")
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x00})
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	values := []any{nil, "", "x", "2024-02-29", 1.0, -1e300, true, []any{"a"}, []any{1.0}, map[string]any{"a": 1.0}}
	cells := []string{"", "1", "x", "2024-02-29", "true", "a; b", "1e400"}
	f.Fuzz(func(t *testing.T, b []byte) {
		var resp formpb.DescribeResponse
		if proto.Unmarshal(b, &resp) != nil {
			return
		}
		infos := make([]FormInfo, len(resp.GetForms()))
		for i, p := range resp.GetForms() {
			infos[i] = formInfoFromPB(p)
		}
		if len(infos) == 0 || CheckVersions(infos) != nil {
			return
		}
		for i, fi := range infos {
			p, err := formInfoToPB(fi)
			if err != nil {
				t.Fatalf("accepted form %s does not encode: %v", fi.Ref(), err)
			}
			if back := formInfoFromPB(p); !reflect.DeepEqual(back, fi) {
				t.Fatalf("accepted form %s changes when encoded again:\n%+v\n%+v", fi.Ref(), back, infos[i])
			}
			fields := map[string]bool{}
			for _, fd := range fi.Fields {
				fields[fd.ID] = true
				for _, lang := range []string{"en", "sr-Latn", "sr-Cyrl", "hr", "bs", "mk"} {
					if fd.Label.In(lang) == "" {
						t.Fatalf("form %s field %s has no label in %s", fi.Ref(), fd.ID, lang)
					}
				}
				for _, o := range fd.Options {
					if o.Label.In("mk") == "" {
						t.Fatalf("form %s field %s option %s has no label", fi.Ref(), fd.ID, o.Value)
					}
				}
			}
			for j, v := range values {
				a := Answers{"not_a_field": v}
				row := map[string]string{}
				for k, fd := range fi.Fields {
					a[fd.ID] = values[(j+k)%len(values)]
					row[fd.ID] = cells[(j+k)%len(cells)]
				}
				errs := ValidateAnswers(fi, a, now)
				if len(errs) > MaxFieldErrors+1 {
					t.Fatalf("form %s: %d errors; capped at %d", fi.Ref(), len(errs), MaxFieldErrors)
				}
				for _, e := range errs {
					if e.Field != "" && e.Field != "not_a_field" && !fields[e.Field] {
						t.Fatalf("form %s: error names %q, not a field of the form", fi.Ref(), e.Field)
					}
				}
				if _, errs := AnswersFromStrings(fi, row); len(errs) > MaxFieldErrors+1 {
					t.Fatalf("form %s: %d errors from one row", fi.Ref(), len(errs))
				}
			}
		}
	})
}
