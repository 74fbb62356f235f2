package sdk

import (
	"math"
	"strings"
	"testing"
)

func TestCheckFormInfo(t *testing.T) {
	t.Parallel()
	if err := CheckFormInfo(judgmentSpec().Info); err != nil {
		t.Fatalf("good form refused: %v", err)
	}
	tests := []struct {
		name   string
		change func(fi *FormInfo)
		want   string
	}{
		{"bad id", func(fi *FormInfo) { fi.ID = "Judgment" }, `form id "Judgment" must be <country>.<name> in lower case, e.g. rs.judgment`},
		{"country in lower case", func(fi *FormInfo) { fi.Country = "xx" }, `form xx.judgment: country "xx" must be an ISO 3166-1 alpha-2 code in upper case, e.g. RS`},
		{"id of another country", func(fi *FormInfo) { fi.Country = "RS" }, `form xx.judgment: id must start with its country RS in lower case`},
		{"version 0", func(fi *FormInfo) { fi.Version = 0 }, `form xx.judgment: version 0 must be 1 or more`},
		{"unknown kind", func(fi *FormInfo) { fi.Kind = "verdict" }, `form xx.judgment: kind "verdict" must be one of judgment, trial_hearing, police_case, victim_support, legislation, engagement`},
		{"no English title", func(fi *FormInfo) { fi.Title = Label{"sr-Latn": "Presuda"} }, `form xx.judgment: title: must have an English ("en") text`},
		{"no fields", func(fi *FormInfo) { fi.Fields = nil }, `form xx.judgment: must have 1..200 fields, has 0`},
		{"duplicate field", func(fi *FormInfo) { fi.Fields = append(fi.Fields, fi.Fields[1]) }, `form xx.judgment: field id "indictment_date" appears twice`},
		{"bad field id", func(fi *FormInfo) { fi.Fields[0].ID = "Article No" }, `form xx.judgment: field 1: id "Article No" must be snake_case (a-z, 0-9, _), at most 64 characters`},
		{"unknown type", func(fi *FormInfo) { fi.Fields[0].Type = "enum" }, `form xx.judgment: field 1: article: type "enum" must be one of string, text, int, number, bool, date, choice, set`},
		{"choice without options", func(fi *FormInfo) { fi.Fields[0].Options = nil }, `form xx.judgment: field 1: article: a choice field must have 1..200 options, has 0`},
		{"options on a date", func(fi *FormInfo) { fi.Fields[1].Options = fi.Fields[0].Options }, `form xx.judgment: field 2: indictment_date: a date field must not have options`},
		{"duplicate option", func(fi *FormInfo) { fi.Fields[0].Options[1].Value = "art_1" }, `form xx.judgment: field 1: article: option "art_1" appears twice`},
		{"bad option value", func(fi *FormInfo) { fi.Fields[0].Options[1].Value = "Art 2" }, `form xx.judgment: field 1: article: option value "Art 2" must be lower case a-z, 0-9, _ . -, at most 64 characters`},
		{"option without English", func(fi *FormInfo) { fi.Fields[0].Options[1].Label = Label{"mk": "Чл. 2"} }, `form xx.judgment: field 1: article: option art_2: label: must have an English ("en") text`},
		{"option with an empty translation", func(fi *FormInfo) { fi.Fields[0].Options[1].Label = Label{"en": "Art. 2", "mk": ""} }, `form xx.judgment: field 1: article: option art_2: label: "mk" text is empty; leave the language out to fall back to English`},
		{"min above max", func(fi *FormInfo) { fi.Fields[3].Min = ptr(10); fi.Fields[3].Max = ptr(1) }, `form xx.judgment: field 4: victims: min 10 is above max 1`},
		{"infinite max", func(fi *FormInfo) { fi.Fields[3].Max = ptr(math.Inf(1)) }, `form xx.judgment: field 4: victims: min and max must be finite`},
		{"max on a bool", func(fi *FormInfo) { fi.Fields[0].Max = ptr(1) }, `form xx.judgment: field 1: article: a choice field must not have min or max`},
		{"max_len on an int", func(fi *FormInfo) { fi.Fields[3].MaxLen = 3 }, `form xx.judgment: field 4: victims: max_len must be 0 or more, and only on string and text fields`},
		{"huge label", func(fi *FormInfo) { fi.Fields[0].Label = Label{"en": strings.Repeat("a", MaxLabel+1)} }, `form xx.judgment: field 1: article: label: "en" text must be at most 1000 characters`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fi := judgmentSpec().Info.clone()
			tt.change(&fi)
			err := CheckFormInfo(fi)
			if err == nil || err.Error() != tt.want {
				t.Errorf("CheckFormInfo:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

func TestCheckVersions(t *testing.T) {
	t.Parallel()
	v1 := judgmentSpec()
	v2 := v1.Next(2)
	v3 := v1.Next(3)
	other := v1.Next(1)
	other.Info.ID = "xx.police_case"
	other.Info.Kind = KindPoliceCase
	if err := CheckVersions([]FormInfo{v3.Info, v1.Info, other.Info, v2.Info}); err != nil {
		t.Fatalf("good versions refused: %v", err)
	}
	otherKind := v2
	otherKind.Info.Kind = KindEngagement
	for _, tt := range []struct {
		forms []FormInfo
		want  string
	}{
		{[]FormInfo{v1.Info, v3.Info}, "form xx.judgment: versions must run 1, 2, … without gaps; version 2 is missing"},
		{[]FormInfo{v2.Info}, "form xx.judgment: versions must run 1, 2, … without gaps; version 1 is missing"},
		{[]FormInfo{v1.Info, v1.Info}, "form xx.judgment@1 is served twice"},
		{[]FormInfo{v1.Info, otherKind.Info}, "form xx.judgment@2: kind and country must stay judgment, XX across versions"},
	} {
		if err := CheckVersions(tt.forms); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CheckVersions: %v, want %q", err, tt.want)
		}
	}
}
