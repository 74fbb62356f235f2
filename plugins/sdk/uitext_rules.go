package sdk

import "strings"

// The rules' texts: keys "rule.<code>" for the codes of rulecode.go, so
// that an interface words a FieldError in the monitor's language. Each
// text is a fmt format with one %s per argument, in the order the code
// documents; a list of values (one_of, list_of, only_when's values) is one
// %s, joined by the interface (with "rule.or" for only_when). "rule.got"
// is the word before what the answer held.
func init() {
	for k, v := range ruleTexts {
		uiTexts[k] = v
	}
}

// RuleKey is the catalogue key of a rule code's text.
func RuleKey(code string) UIKey { return UIKey("rule." + code) }

var ruleTexts = map[UIKey]Label{
	RuleKey(RuleRequired):    l6f("is required", "mora biti popunjeno", "mora biti ispunjeno", "mora biti popunjeno", "мора да се пополни"),
	RuleKey(RuleRange):       l6f("must be from %s to %s", "mora biti od %s do %s", "mora biti od %s do %s", "mora biti od %s do %s", "мора да биде од %s до %s"),
	RuleKey(RuleMin):         l6f("must be a number of at least %s", "mora biti broj, najmanje %s", "mora biti broj, najmanje %s", "mora biti broj, najmanje %s", "мора да биде број, најмалку %s"),
	RuleKey(RuleMax):         l6f("must be a number of at most %s", "mora biti broj, najviše %s", "mora biti broj, najviše %s", "mora biti broj, najviše %s", "мора да биде број, најмногу %s"),
	RuleKey(RuleNumber):      l6f("must be a number", "mora biti broj", "mora biti broj", "mora biti broj", "мора да биде број"),
	RuleKey(RuleWholeMin):    l6f("must be a whole number of at least %s", "mora biti ceo broj, najmanje %s", "mora biti cijeli broj, najmanje %s", "mora biti cijeli broj, najmanje %s", "мора да биде цел број, најмалку %s"),
	RuleKey(RuleWholeMax):    l6f("must be a whole number of at most %s", "mora biti ceo broj, najviše %s", "mora biti cijeli broj, najviše %s", "mora biti cijeli broj, najviše %s", "мора да биде цел број, најмногу %s"),
	RuleKey(RuleWholeNumber): l6f("must be a whole number", "mora biti ceo broj", "mora biti cijeli broj", "mora biti cijeli broj", "мора да биде цел број"),
	RuleKey(RuleBoolean):     l6f("must be yes or no", "mora biti da ili ne", "mora biti da ili ne", "mora biti da ili ne", "мора да биде да или не"),
	RuleKey(RuleOneOf):       l6f("must be one of: %s", "mora biti jedno od: %s", "mora biti jedno od: %s", "mora biti jedno od: %s", "мора да биде едно од: %s"),
	RuleKey(RuleListOf):      l6f("may hold only values from: %s", "sme sadržati samo vrednosti: %s", "smije sadržavati samo vrijednosti: %s", "smije sadržavati samo vrijednosti: %s", "смее да содржи само вредности: %s"),
	RuleKey(RuleRepeat):      l6f("must not repeat a value", "ne sme ponavljati vrednost", "ne smije ponavljati vrijednost", "ne smije ponavljati vrijednost", "не смее да повторува вредност"),
	RuleKey(RuleDateFormat):  l6f("must be a date YYYY-MM-DD", "mora biti datum GGGG-MM-DD", "mora biti datum GGGG-MM-DD", "mora biti datum GGGG-MM-DD", "мора да биде датум ГГГГ-ММ-ДД"),
	RuleKey(RuleDateBeforeEarliest): l6f("must not be before %s", "ne sme biti pre %s", "ne smije biti prije %s", "ne smije biti prije %s",
		"не смее да биде пред %s"),
	RuleKey(RuleDateAfterToday): l6f("must not be in the future (after %s)", "ne sme biti u budućnosti (posle %s)", "ne smije biti u budućnosti (nakon %s)", "ne smije biti u budućnosti (poslije %s)",
		"не смее да биде во иднината (по %s)"),
	RuleKey(RuleTooLong): l6f("must be at most %s characters long, has %s", "sme imati najviše %s znakova, ima %s", "smije imati najviše %s znakova, ima %s", "smije imati najviše %s znakova, ima %s",
		"смее да има најмногу %s знаци, има %s"),
	RuleKey(RuleControlChar): l6f("must not contain control characters", "ne sme sadržati kontrolne znakove", "ne smije sadržavati kontrolne znakove", "ne smije sadržavati kontrolne znakove",
		"не смее да содржи контролни знаци"),
	RuleKey(RuleBeforeField):   l6f("must not be before %s (%s)", "ne sme biti pre %s (%s)", "ne smije biti prije %s (%s)", "ne smije biti prije %s (%s)", "не смее да биде пред %s (%s)"),
	RuleKey(RuleMoreThanField): l6f("must not be more than %s (%s)", "ne sme biti veće od %s (%s)", "ne smije biti veće od %s (%s)", "ne smije biti veće od %s (%s)", "не смее да биде повеќе од %s (%s)"),
	RuleKey(RuleOnlyWhen): l6f("may be answered only when %s is %s", "sme se popuniti samo kada je %s: %s", "smije se ispuniti samo kada je %s: %s", "smije se popuniti samo kada je %s: %s",
		"смее да се пополни само кога %s е: %s"),
	"rule.got": l6f("got", "uneto", "uneseno", "uneseno", "внесено"),
	"rule.or":  l6f("or", "ili", "ili", "ili", "или"),
}

// l6f is l6 for a fmt format: the Serbian Cyrillic text is transliterated
// around its %s verbs, which stay as they are (SerbianCyrillic would turn
// the s into a Cyrillic letter).
func l6f(en, srLatn, hr, bs, mk string) Label {
	l := l6(en, srLatn, hr, bs, mk)
	parts := strings.Split(srLatn, "%s")
	for i, p := range parts {
		parts[i] = SerbianCyrillic(p)
	}
	l["sr-Cyrl"] = strings.Join(parts, "%s")
	return l
}
