package query

import (
	"fmt"
	"strconv"
	"strings"
)

// maxIntDigits caps the digits before a number's decimal point: 10^15 is
// far above any indicator's Max, and 10^15 * 100 fits an int64.
const maxIntDigits = 15

// parseNumber reads "12", "12.5" or "3000.25" (as the lexer found it, or
// as a JSON number's text) into a Number value.
func parseNumber(text string, pos Pos) (Value, error) {
	ip, fp, hasDot := strings.Cut(text, ".")
	if ip == "" || !allDigits(ip) || hasDot && (fp == "" || !allDigits(fp)) {
		return Value{}, errorAt(pos, "%q is not a number: write digits with an optional decimal point, as in 12 or 12.5 (no sign, no exponent)", clip(text, 40))
	}
	if len(fp) > 2 {
		return Value{}, errorAt(pos, "%s has %d decimals; at most 2 are allowed (amounts in EUR are counted in cents)", text, len(fp))
	}
	ip = strings.TrimLeft(ip, "0")
	if len(ip) > maxIntDigits {
		return Value{}, errorAt(pos, "%s is too large: at most %d digits before the decimal point", clip(text, 40), maxIntDigits)
	}
	n := int64(0)
	if ip != "" {
		n, _ = strconv.ParseInt(ip, 10, 64)
	}
	f := int64(0)
	if fp != "" {
		f, _ = strconv.ParseInt((fp + "0")[:2], 10, 64)
	}
	h := n*100 + f
	return Value{Kind: Number, Text: formatHundredths(h), Hundredths: h, Pos: pos}, nil
}

func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// formatHundredths writes h/100 in its shortest form: 1250 → "12.5".
func formatHundredths(h int64) string {
	s := strconv.FormatInt(h/100, 10)
	if f := h % 100; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", f), "0")
	}
	return s
}

// parsePermille reads a quantile's p, 0 < p < 1 with at most three
// decimals, in thousandths.
func parsePermille(text string, pos Pos) (int, error) {
	ip, fp, _ := strings.Cut(text, ".")
	if strings.TrimLeft(ip, "0") != "" || fp == "" || !allDigits(ip) || !allDigits(fp) || len(fp) > 3 {
		return 0, errorAt(pos, "p of quantile must be a number strictly between 0 and 1 with at most three decimals (0.25, 0.9, 0.975), got %s", clip(text, 40))
	}
	n, _ := strconv.Atoi((fp + "00")[:3])
	if n == 0 {
		return 0, errorAt(pos, "p of quantile must be above 0, got %s", text)
	}
	return n, nil
}

// formatPermille writes p in thousandths as "0.9", "0.25", "0.975".
func formatPermille(p int) string {
	return strings.TrimRight(fmt.Sprintf("0.%03d", p), "0")
}
