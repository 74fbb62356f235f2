package query

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// answerSeeds are well-formed answers: released, suppressed, noised,
// refused.
func answerSeeds() []*Answer {
	return []*Answer{
		{Format: 1, Query: "count judgment by verdict", K: 5, Cells: []Cell{
			{Group: []string{"convicted"}, Figures: Figures{N: ptr(12)}},
			{Group: []string{"dismissed"}, Suppressed: true, Reason: SuppressedMinCell},
		}, Coverage: Coverage{Cells: 2, Released: 1, Suppressed: 1}},
		{Format: 1, Query: "mean(sentence_months) judgment", Unit: "months", K: 5, Cells: []Cell{
			{Group: []string{}, Figures: Figures{N: ptr(40), Sum: ptr(1200), Noise: &FigureNoise{N: 2, Sum: 1200}}},
		}, Coverage: Coverage{Cells: 1, Released: 1}, Noise: &NoiseSpent{Mechanism: "discrete_laplace", Epsilon: 1, Left: 9, Period: "2026-03"}},
		{Format: 1, Query: "count judgment", K: 5, Cells: []Cell{
			{Group: []string{}, Suppressed: true, Reason: SuppressedDifferencing, Earlier: &Earlier{Figures: Figures{N: ptr(31)}}},
		}, Coverage: Coverage{Cells: 1, Suppressed: 1}},
		Refuse(mustParseQuiet("count judgment where verdict = dismissed"), 5, ReasonSubset, "the where selects fewer than 5"),
	}
}

func mustParseQuiet(text string) *Query {
	q, err := Parse(text, Options{})
	if err != nil {
		panic(err)
	}
	return q
}

func TestDecodeAnswer(t *testing.T) {
	t.Parallel()
	for _, a := range answerSeeds() {
		b, _ := json.Marshal(a)
		got, err := DecodeAnswer(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !reflect.DeepEqual(jsonString(t, got), string(b)) {
			t.Errorf("round trip:\n%s\n%s", jsonString(t, got), b)
		}
	}
	good := `{"format":1,"query":"count judgment","cells":[{"group":[],"n":7}],"coverage":{"cells":1,"released":1,"suppressed":0},"k":5}`
	if _, err := DecodeAnswer([]byte(good)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, msg string }{
		{strings.Replace(good, `"n":7`, `"n":7,"suppressed":true,"reason":"min_cell"`, 1), "suppressed and carries figures"},
		{strings.Replace(good, `"format":1`, `"format":2`, 1), "format 2"},
		{strings.Replace(good, `"k":5`, `"k":2`, 1), "below the floor"},
		{strings.Replace(good, `"released":1`, `"released":0`, 1), "coverage"},
		{strings.Replace(good, `"n":7`, `"n":7,"records":["x"]`, 1), "unknown field"},
		{good + " {}", "data after"},
		{strings.Replace(good, `"cells":[`, `"refused":{"reason":"policy","message":"no"},"cells":[`, 1), "a refusal needs"},
		{strings.Replace(good, `"n":7`, `"n":7,"reason":"min_cell"`, 1), "released and carries a suppression reason"},
		{strings.Replace(good, `"group":[]`, `"group":["`+strings.Repeat("x", 65)+`"]`, 1), "group value"},
		{strings.Replace(good, `"n":7`, `"n":7,"noise":{"n":-1}`, 1), "noise scale"},
		{`{"format":1,"query":"count judgment","cells":[` + strings.Repeat(`{"group":[],"n":1},`, 250_000) + `{"group":[],"n":1}]}`, "at most 4194304"},
	} {
		if _, err := DecodeAnswer([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%.100s: %v, want …%s…", c.in, err, c.msg)
		}
	}
}

// FuzzDecodeAnswer: any bytes decode to a well-formed answer or are
// refused, never a panic; what decodes re-encodes to bytes that decode to
// the same answer.
func FuzzDecodeAnswer(f *testing.F) {
	seeds := 0
	for _, a := range answerSeeds() {
		b, _ := json.Marshal(a)
		f.Add(b)
		seeds++
	}
	if seeds == 0 {
		f.Fatal("no seeds")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := DecodeAnswer(data)
		if err != nil {
			return
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeAnswer(b)
		if err != nil || !reflect.DeepEqual(a, again) {
			t.Fatalf("%s re-encodes to %s: %v", data, b, err)
		}
	})
}
