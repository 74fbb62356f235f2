package sdk

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzValidateAnswers feeds arbitrary bytes through the path a record
// takes from a file or a peer: DecodeAnswers, then a Spec's Validate and,
// when the answers are valid, Normalize. Nothing may panic; every error
// must be short and printable; valid answers must always normalise to
// indicators that CheckCommon accepts.
func FuzzValidateAnswers(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "answers", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	if len(seeds) == 0 {
		f.Fatal("no seeds in testdata/answers")
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"victims": -0, "sentence_months": 600.0000000001}`))
	f.Add([]byte("{\"article\": \"art_1\xff\"}"))

	s := judgmentSpec()
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := DecodeAnswers(bytes.NewReader(data))
		if err != nil {
			if a != nil {
				t.Fatalf("DecodeAnswers returned answers with error %v", err)
			}
			return
		}
		errs, err := s.Validate(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) > MaxFieldErrors+1 {
			t.Fatalf("%d errors", len(errs))
		}
		for _, e := range errs {
			msg := e.Error()
			if !utf8.ValidString(msg) || utf8.RuneCountInString(e.Got) > 65 || utf8.RuneCountInString(e.Field) > 65 {
				t.Fatalf("error not clipped or not UTF-8: %q", msg)
			}
		}
		c, err := s.Normalize(ctx, a)
		if len(errs) > 0 {
			if err == nil {
				t.Fatalf("Normalize accepted answers that Validate refused: %v", errs)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid answers do not normalise: %v", err)
		}
		if err := CheckCommon(KindJudgment, c); err != nil {
			t.Fatalf("Normalize produced invalid indicators: %v", err)
		}
	})
}
