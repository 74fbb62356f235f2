package records

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// The indicator space ("record-indicators") holds, for every current
// record that is not deleted, its common indicators in a compact binary
// value, under the same key as its index entry ("<kind>/<date>/<id>").
// Aggregate queries read only this space: they never decode a record's
// fields (personal and free-text ones included) and never call a plugin.
// It is written in the same transaction as the record (Add, Edit; Delete
// removes the entry), and an import writes it in its batch, invisible
// until the import's commit marker, exactly like the index.
//
// Value layout (format 1), all integers little-endian:
//
//	byte 0          format version (1)
//	byte 1          n = length of the import ID (0: entered by hand)
//	n bytes         import ID
//	1 byte + bytes  country (ISO 3166-1 alpha-2), length-prefixed
//	1 byte + bytes  sub-jurisdiction ("" outside Bosnia and Herzegovina)
//	8 bytes         presence: bit i set when indicator i is answered
//	8 bytes         bool values: bit i is the value of bool indicator i
//	slots           the value of each answered non-bool indicator, in
//	                fixed-width slots grouped by width: first every 8-byte
//	                slot, then 4-byte, 2-byte, 1-byte, each group in
//	                catalogue order
//
// Indicator i is the i-th of sdk.Indicators(kind) (its ordinal). Slots:
//
//	eur                    8 bytes, IEEE 754 float64 bits
//	count, days, months    4 bytes, uint32
//	date                   4 bytes, int32 days since 1970-01-01
//	enum                   1 byte, index of the value in the closed list
//	set                    1, 2, 4 or 8 bytes (by the list's length): bit j
//	                       set when the j-th value of the list is chosen
//	string                 not kept: short public text is not queryable
//
// Because every slot of a width group has the same size, the offset of
// indicator i is found with one popcount per group over the presence bits
// (see IndicatorView.offset): reading one indicator decodes nothing else.
const indicatorFormat = 1

// maxIndicators is the most indicators a kind may have: the presence
// bitmap is one uint64.
const maxIndicators = 64

// slotWidths are the slot widths, in the order their groups are laid out.
var slotWidths = [4]int{8, 4, 2, 1}

// indicatorLayout is the per-kind table that encoding and decoding share.
type indicatorLayout struct {
	kind  sdk.Kind
	inds  []sdk.Indicator
	ord   map[string]int
	width []int // slot width of each ordinal; 0 for bool and string
	// group[w] has bit i set when indicator i has a slot of width
	// slotWidths[w].
	group [4]uint64
	// stored has bit i set when indicator i is kept (everything but string).
	stored uint64
}

var indicatorLayouts = func() map[sdk.Kind]*indicatorLayout {
	m := make(map[sdk.Kind]*indicatorLayout, len(sdk.Kinds))
	for _, k := range sdk.Kinds {
		m[k] = newIndicatorLayout(k)
	}
	return m
}()

func newIndicatorLayout(k sdk.Kind) *indicatorLayout {
	inds := sdk.Indicators(k)
	if len(inds) > maxIndicators {
		panic(fmt.Sprintf("records: kind %s has %d indicators; the indicator space holds at most %d", k, len(inds), maxIndicators))
	}
	l := &indicatorLayout{kind: k, inds: inds, ord: make(map[string]int, len(inds)), width: make([]int, len(inds))}
	for i, ind := range inds {
		l.ord[ind.Name] = i
		w := 0
		switch ind.Type {
		case sdk.IndicatorEUR:
			w = 8
		case sdk.IndicatorCount, sdk.IndicatorDays, sdk.IndicatorMonths:
			if ind.Max > math.MaxUint32 {
				panic(fmt.Sprintf("records: indicator %s.%s: Max %v does not fit a 4-byte slot", k, ind.Name, ind.Max))
			}
			w = 4
		case sdk.IndicatorDate:
			w = 4
		case sdk.IndicatorEnum:
			if len(ind.Options) > 255 {
				panic(fmt.Sprintf("records: indicator %s.%s has %d values; an enum slot holds 255", k, ind.Name, len(ind.Options)))
			}
			w = 1
		case sdk.IndicatorSet:
			w = setWidth(len(ind.Options))
			if w == 0 {
				panic(fmt.Sprintf("records: indicator %s.%s has %d values; a set slot holds 64", k, ind.Name, len(ind.Options)))
			}
		case sdk.IndicatorBool, sdk.IndicatorString:
		default:
			panic(fmt.Sprintf("records: indicator %s.%s has type %q, unknown to the indicator space", k, ind.Name, ind.Type))
		}
		l.width[i] = w
		if ind.Type != sdk.IndicatorString {
			l.stored |= 1 << i
		}
		for g, gw := range slotWidths {
			if w == gw {
				l.group[g] |= 1 << i
			}
		}
	}
	return l
}

func setWidth(options int) int {
	switch {
	case options <= 8:
		return 1
	case options <= 16:
		return 2
	case options <= 32:
		return 4
	case options <= 64:
		return 8
	}
	return 0
}

// IndicatorOrdinal returns the ordinal of the indicator called name of
// kind k: its position in sdk.Indicators(k), which IndicatorView's
// methods take. String indicators have an ordinal but no stored value.
func IndicatorOrdinal(k sdk.Kind, name string) (int, bool) {
	l, ok := indicatorLayouts[k]
	if !ok {
		return 0, false
	}
	i, ok := l.ord[name]
	return i, ok
}

// epoch is day 0 of date slots.
var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// DateDays returns the days since 1970-01-01 of a date "YYYY-MM-DD", as
// date slots hold them.
func DateDays(date string) (int32, error) {
	t, err := time.Parse(sdk.DateLayout, date)
	if err != nil {
		return 0, err
	}
	return int32(t.Sub(epoch).Hours() / 24), nil
}

// encodeIndicators returns the indicator-space value of record r (which
// must not be deleted). Its indicators are checked against the catalogue
// first, so a value outside it never reaches the space.
func encodeIndicators(r Record) ([]byte, error) {
	l, ok := indicatorLayouts[r.Kind]
	if !ok {
		return nil, fmt.Errorf("record %s: indicators of unknown kind %q", r.ID, r.Kind)
	}
	if len(r.Import) > 255 || len(r.Country) > 255 || len(r.SubJurisdiction) > 255 {
		return nil, fmt.Errorf("record %s: import, country or sub-jurisdiction longer than 255 bytes", r.ID)
	}
	c, err := sdk.CheckCanonical(r.Kind, r.Common)
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", r.ID, err)
	}
	var present, bools uint64
	var slots [4][]byte
	for i, ind := range l.inds {
		v, ok := c[ind.Name]
		if !ok || l.stored&(1<<i) == 0 {
			continue
		}
		present |= 1 << i
		switch ind.Type {
		case sdk.IndicatorBool:
			if v.(bool) {
				bools |= 1 << i
			}
		case sdk.IndicatorEUR:
			slots[0] = binary.LittleEndian.AppendUint64(slots[0], math.Float64bits(v.(float64)))
		case sdk.IndicatorCount, sdk.IndicatorDays, sdk.IndicatorMonths:
			slots[1] = binary.LittleEndian.AppendUint32(slots[1], uint32(v.(int64)))
		case sdk.IndicatorDate:
			d, err := DateDays(v.(string))
			if err != nil {
				return nil, fmt.Errorf("record %s: indicator %s: %w", r.ID, ind.Name, err)
			}
			slots[1] = binary.LittleEndian.AppendUint32(slots[1], uint32(d))
		case sdk.IndicatorEnum:
			slots[3] = append(slots[3], byte(ind.OptionIndex(v.(string))))
		case sdk.IndicatorSet:
			var mask uint64
			for _, s := range v.([]string) {
				mask |= 1 << ind.OptionIndex(s)
			}
			g := slices.Index(slotWidths[:], l.width[i])
			switch l.width[i] {
			case 8:
				slots[g] = binary.LittleEndian.AppendUint64(slots[g], mask)
			case 4:
				slots[g] = binary.LittleEndian.AppendUint32(slots[g], uint32(mask))
			case 2:
				slots[g] = binary.LittleEndian.AppendUint16(slots[g], uint16(mask))
			default:
				slots[g] = append(slots[g], byte(mask))
			}
		}
	}
	// Ordinals were visited in order, so each width group holds its slots
	// in catalogue order, as IndicatorView.offset expects.
	out := make([]byte, 0, 5+len(r.Import)+len(r.Country)+len(r.SubJurisdiction)+16+len(slots[0])+len(slots[1])+len(slots[2])+len(slots[3]))
	out = append(out, indicatorFormat, byte(len(r.Import)))
	out = append(out, r.Import...)
	out = append(out, byte(len(r.Country)))
	out = append(out, r.Country...)
	out = append(out, byte(len(r.SubJurisdiction)))
	out = append(out, r.SubJurisdiction...)
	out = binary.LittleEndian.AppendUint64(out, present)
	out = binary.LittleEndian.AppendUint64(out, bools)
	for g := range slotWidths {
		out = append(out, slots[g]...)
	}
	return out, nil
}

// withImportIndicators returns an indicator value encoded without an
// import ID (as an import stages its records before it has one) with imp
// set: the import ID is the second field, so it is spliced in.
func withImportIndicators(enc []byte, imp string) ([]byte, error) {
	if len(enc) < 2 || enc[0] != indicatorFormat || enc[1] != 0 || len(imp) > 255 {
		return nil, fmt.Errorf("indicator value: unexpected encoding")
	}
	out := make([]byte, 0, len(enc)+len(imp))
	out = append(out, indicatorFormat, byte(len(imp)))
	out = append(out, imp...)
	return append(out, enc[2:]...), nil
}

// popBelow counts the set bits of m below bit i.
func popBelow(m uint64, i int) int { return bits.OnesCount64(m & (1<<i - 1)) }
