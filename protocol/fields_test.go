package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	t.Parallel()
	ok := []string{"ASTRA", "Udruženje „Žene s Unom“", "Ла Страда Македонија", "a:b", "Centar za žrtve trgovine ljudima (CZŽTLJ)"}
	for _, s := range ok {
		if err := CheckText("endorsement", "org", s, MaxOrgLength); err != nil {
			t.Errorf("CheckText(%q) = %v, want ok", s, err)
		}
	}
	bad := map[string]string{
		"":                             "is empty",
		"a\nb":                         "control or separator",
		"a\rb":                         "control or separator",
		"a\x00b":                       "control or separator",
		"a\u2028b":                     "control or separator",
		"a\u202eb":                     "control or separator", // right-to-left override
		"a\u200bb":                     "control or separator", // zero width space
		" ASTRA":                       "white space",
		"ASTRA\t":                      "control",
		"Z\u030ce":                     "NFC", // Ž written as Z + combining caron
		"\xff":                         "UTF-8",
		strings.Repeat("a", 201):       "at most 200",
		"tab\tinside":                  "control",
		"non-breaking end\u00a0":       "white space",
		"private use \ue000 character": "control or separator",
	}
	for s, want := range bad {
		err := CheckText("endorsement", "org", s, MaxOrgLength)
		var fe *FieldError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), want) || fe.Field != "org" {
			t.Errorf("CheckText(%q) = %v, want a FieldError on org mentioning %q", s, err, want)
		}
	}
	if got := NormalizeText("  Z\u030cene "); got != "Žene" {
		t.Errorf("NormalizeText = %q", got)
	}
}

func TestCheckFields(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		ok   bool
	}{
		{"country RS", CheckCountry("e", "country", "RS"), true},
		{"country XK", CheckCountry("e", "country", "XK"), true},
		{"country lower", CheckCountry("e", "country", "rs"), false},
		{"country unknown", CheckCountry("e", "country", "XX"), false},
		{"country YU", CheckCountry("e", "country", "YU"), false},
		{"date", CheckDate("e", "date", "2026-02-28"), true},
		{"date 30 Feb", CheckDate("e", "date", "2026-02-30"), false},
		{"date short", CheckDate("e", "date", "2026-2-3"), false},
		{"date time", CheckDate("e", "date", "2026-02-03T00:00:00Z"), false},
		{"time", CheckTime("e", "issued", "2026-02-03T10:00:00Z"), true},
		{"time offset", CheckTime("e", "issued", "2026-02-03T10:00:00+01:00"), false},
		{"time fraction", CheckTime("e", "issued", "2026-02-03T10:00:00.5Z"), false},
		{"hash", CheckHash("e", "declaration", strings.Repeat("ab", 32)), true},
		{"hash upper", CheckHash("e", "declaration", strings.Repeat("AB", 32)), false},
		{"hash short", CheckHash("e", "declaration", "abcd"), false},
		{"network", CheckNetworkID("e", "network", "kolovectorsnetworkid22345a"), true},
		{"network 1", CheckNetworkID("e", "network", "kolovectorsnetworkid223451"), false},
		{"age", CheckAge("c", "age", vecAge), true},
		{"age upper", CheckAge("c", "age", strings.ToUpper(vecAge)), false},
		{"roles", CheckRoles("c", "roles", []Role{RoleAnalyst, RolePartner}), true},
		{"roles unsorted", CheckRoles("c", "roles", []Role{RolePartner, RoleAnalyst}), false},
		{"roles twice", CheckRoles("c", "roles", []Role{RolePartner, RolePartner}), false},
		{"roles unknown", CheckRoles("c", "roles", []Role{"admin"}), false},
		{"roles empty", CheckRoles("c", "roles", nil), false},
	}
	for _, c := range cases {
		if (c.err == nil) != c.ok {
			t.Errorf("%s: err = %v, want ok=%v", c.name, c.err, c.ok)
		}
	}
	roles, err := ParseRoles("Partner, analyst,partner")
	if err != nil || JoinRoles(roles) != "analyst,partner" {
		t.Errorf("ParseRoles = %v, %v", roles, err)
	}
	if _, err := ParseRoles("partner,admin"); err == nil || !strings.Contains(err.Error(), `"admin"`) {
		t.Errorf("ParseRoles(admin) = %v", err)
	}
}

// TestSignatureCoversEveryField changes each field of a signed endorsement
// and checks the signature no longer verifies.
func TestSignatureCoversEveryField(t *testing.T) {
	t.Parallel()
	k, id, _ := seedKey(t, 0x05)
	_, other, _ := seedKey(t, 0x06)
	e := Endorsement{Network: vecNetwork, Declaration: strings.Repeat("ab", 32), Org: "ASTRA", Country: "RS", Date: "2026-03-01", Signer: id}
	must(t, e.Sign(k))
	must(t, e.Verify())
	changes := map[string]func(*Endorsement){
		"network":     func(e *Endorsement) { e.Network = "kolovectorsnetworkid22345b" },
		"declaration": func(e *Endorsement) { e.Declaration = strings.Repeat("ac", 32) },
		"org":         func(e *Endorsement) { e.Org = "ASTRA2" },
		"country":     func(e *Endorsement) { e.Country = "HR" },
		"date":        func(e *Endorsement) { e.Date = "2026-03-02" },
		"signer":      func(e *Endorsement) { e.Signer = other },
	}
	for name, change := range changes {
		c := e
		change(&c)
		if err := c.Verify(); !errors.Is(err, ErrBadSignature) {
			t.Errorf("after changing %s: Verify = %v, want ErrBadSignature", name, err)
		}
	}
	// Signing with a key that is not the signer's is refused.
	bad := e
	bad.Signer = other
	if err := bad.Sign(k); err == nil {
		t.Error("Sign with another member's key succeeded")
	}
}
