package records

import (
	"context"
	"strings"
	"testing"
)

// TestLocalCells: each kind of cell as the network's spreadsheets write
// it reads as the one value kolo stores, and what stays refused says what
// it got and what it would accept.
func TestLocalCells(t *testing.T) {
	t.Parallel()
	sf := newSheetForm(schemaForm(t))
	cases := []struct {
		field, in, want, rule string
	}{
		{"compensation_awarded_eur", "1.000,50", "1000.5", ""},
		{"compensation_awarded_eur", "1000,00", "1000", ""},
		{"compensation_awarded_eur", "1 000,50", "1000.5", ""},
		{"compensation_awarded_eur", "1\u00a0250\u00a0000", "1250000", ""},
		{"compensation_awarded_eur", "1,250.75", "1250.75", ""},
		{"compensation_awarded_eur", "1.250.000", "1250000", ""},
		{"compensation_awarded_eur", "3000.5", "3000.5", ""},
		{"compensation_awarded_eur", "0,125", "0.125", ""},
		{"compensation_awarded_eur", "-2,5", "-2.5", ""},
		{"compensation_awarded_eur", "1.000", "", `is ambiguous: "." groups thousands in sr, hr, bs and mk but marks decimals in en; write 1000 for 1 thousand`},
		{"compensation_awarded_eur", "12,500", "", `is ambiguous: "," groups thousands`},
		{"compensation_awarded_eur", "1.00.0", "", "must be a number 0..10000000000, written such as 1500, 1.500,50 or 1500.50"},
		{"compensation_awarded_eur", "EUR 100", "", "must be a number 0..10000000000"},
		{"sentence_months", "12 mj", "", "must be a whole number 0..600, written such as 12 or 1500"},
		{"sentence_months", "36", "36", ""},
		{"decision_date", "2024-05-20", "2024-05-20", ""},
		{"decision_date", "20.05.2024.", "2024-05-20", ""},
		{"decision_date", "20.5.2024", "2024-05-20", ""},
		{"decision_date", "1. 1. 2024.", "2024-01-01", ""},
		{"decision_date", "1/1/2024", "2024-01-01", ""},
		{"decision_date", "13/5/2024", "2024-05-13", ""},
		{"decision_date", "5/13/2024", "2024-05-13", ""},
		{"decision_date", "2024-05-20 00:00:00", "2024-05-20", ""},
		{"decision_date", "5/6/2024", "", "is ambiguous: 5 June or 6 May; write it as 2024-06-05 or 5.6.2024. (day first)"},
		{"decision_date", "31.2.2024.", "", "must be a date such as 2024-05-20, 20.05.2024. or 20.5.2024 (there is no such day)"},
		{"decision_date", "maj 2024", "", "must be a date such as 2024-05-20"},
		{"assets_frozen", "TAČNO", "true", ""},
		{"assets_frozen", "netačno", "false", ""},
		{"assets_frozen", "ДА", "true", ""},
		{"assets_frozen", "НЕТОЧНО", "false", ""},
		{"assets_frozen", "Istina", "true", ""},
		{"assets_frozen", "0", "false", ""},
		{"assets_frozen", "možda", "", "must be true or false (also da/ne"},
		{"verdict", "Convicted", "convicted", ""},
		{"verdict", "CONVICTION", "convicted", ""},
		{"verdict", "osuđujuća  presuda", "convicted", ""},
		{"verdict", "Осуђујућа пресуда", "convicted", ""},
		{"verdict", "Осудителна пресуда", "convicted", ""},
		{"verdict", "guilty", "guilty", ""}, // left to the form, which lists the values
		{"international_law_cited", "Palermo; ECHR_ART4", "palermo;echr_art4", ""},
	}
	for _, c := range cases {
		got, rule := sf.cell(sf.fields[c.field], c.in)
		if got != c.want || !strings.HasPrefix(rule, c.rule) || (c.rule == "") != (rule == "") {
			t.Errorf("%s %q: got %q, rule %q; want %q, rule starting %q", c.field, c.in, got, rule, c.want, c.rule)
		}
	}
	for h, want := range map[string]string{"court": "court", "Sud": "court", "SUD": "court", "Суд": "court", "Court": "court",
		"Datum presude * [decision_date]": "decision_date", "Vrsta presude": "verdict"} {
		if id, ok := sf.column(h); !ok || id != want {
			t.Errorf("header %q: got %q %v, want %s", h, id, ok, want)
		}
	}
}

// TestImportLocalSpreadsheet imports a file as a Serbian Excel saves it
// (semicolons, labels for headers and answers, decimal commas, local
// dates, TAČNO) and finds each answer stored as the form's own value.
func TestImportLocalSpreadsheet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	data := "Sud;Stepen suda;Krivično delo (član Krivičnog zakonika);Datum presude;Broj okrivljenih;Broj žrtava;Vrsta presude;Kazna zatvora (meseci);Dosuđena naknada (u evrima);Imovina privremeno oduzeta;Pozivanje na međunarodno pravo\n" +
		"Viši sud u Beogradu;Prvostepeni sud;art_388;20.5.2024.;2;1.000;Osuđujuća presuda;36;1.500,50;TAČNO;Palermo;\n"
	_, err := tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	if err == nil || !strings.Contains(err.Error(), `row 2, victims: is ambiguous: "." groups thousands`) {
		t.Fatalf("got %v, want the ambiguous 1.000 refused", err)
	}
	data = strings.Replace(data, ";1.000;", ";1;", 1)
	res, err := tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	l, err := tb.List(ctx, Filter{Import: res.ID})
	if err != nil || len(l) != 1 {
		t.Fatalf("%v %v", l, err)
	}
	r, err := tb.Get(ctx, l[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"article":"art_388","assets_frozen":true,"compensation_awarded_eur":1500.5,"court":"Viši sud u Beogradu","court_level":"first_instance","decision_date":"2024-05-20","defendants":2,"international_law_cited":["palermo"],"sentence_months":36,"verdict":"convicted","victims":1}`
	if got := jsonOf(t, r.Fields); got != want {
		t.Fatalf("stored\n%s\nwant\n%s", got, want)
	}

	// Answers in JSON, by kolo record add or a JSON Lines file, give a
	// list's answer by its label in any language too, and store the value.
	a := with(answers(t, "rs", "judgment.v2.json"), map[string]any{"verdict": "Conviction", "court_level": "APPEAL", "international_law_cited": []any{"Palermo"}})
	rec, err := tb.Add(ctx, "rs.judgment", a)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Fields["verdict"] != "convicted" || rec.Fields["court_level"] != "appeal" || jsonOf(t, rec.Fields["international_law_cited"]) != `["palermo"]` {
		t.Fatalf("stored %v %v %v", rec.Fields["verdict"], rec.Fields["court_level"], rec.Fields["international_law_cited"])
	}
	if a["verdict"] != "Conviction" {
		t.Error("Add changed the caller's answers")
	}
	res, err = tb.Import(ctx, strings.NewReader(jsonOf(t, a)+"\n"), ImportOptions{Form: "rs.judgment", Format: FormatJSONL, AllowDuplicates: true})
	if err != nil {
		t.Fatal(err)
	}
	l, _ = tb.List(ctx, Filter{Import: res.ID})
	if r, _ := tb.Get(ctx, l[0].ID); r.Fields["verdict"] != "convicted" {
		t.Fatalf("JSON Lines stored verdict %v", r.Fields["verdict"])
	}
}
