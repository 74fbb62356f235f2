package records

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// IndicatorView reads one record's common indicators from its value in the
// indicator space without decoding anything it is not asked for. Methods
// take the indicator's ordinal (IndicatorOrdinal) and report false when
// the record does not answer the indicator, or when the ordinal is not of
// the method's type. A view is valid only during the ScanIndicators call
// that gave it.
type IndicatorView struct {
	lay     *indicatorLayout
	id      []byte // from the key
	date    []byte
	imp     []byte
	country []byte
	sub     []byte
	present uint64
	bools   uint64
	slots   []byte
}

var errIndicatorValue = errors.New("malformed indicator value")

// parseIndicatorView reads the header of an indicator-space value of kind k.
func parseIndicatorView(k sdk.Kind, val []byte) (IndicatorView, error) {
	l, ok := indicatorLayouts[k]
	if !ok {
		return IndicatorView{}, fmt.Errorf("indicators of unknown kind %q", k)
	}
	var v IndicatorView
	if err := v.parse(l, val); err != nil {
		return IndicatorView{}, err
	}
	return v, nil
}

// parse makes v a view of val, a value laid out by l.
func (v *IndicatorView) parse(l *indicatorLayout, val []byte) error {
	*v = IndicatorView{lay: l}
	if len(val) < 2 || val[0] != indicatorFormat {
		return errIndicatorValue
	}
	p := 1
	field := func() ([]byte, bool) {
		if p >= len(val) {
			return nil, false
		}
		n := int(val[p])
		if p+1+n > len(val) {
			return nil, false
		}
		b := val[p+1 : p+1+n]
		p += 1 + n
		return b, true
	}
	var ok1, ok2, ok3 bool
	v.imp, ok1 = field()
	v.country, ok2 = field()
	v.sub, ok3 = field()
	if !ok1 || !ok2 || !ok3 || p+16 > len(val) {
		return errIndicatorValue
	}
	v.present = binary.LittleEndian.Uint64(val[p:])
	v.bools = binary.LittleEndian.Uint64(val[p+8:])
	v.slots = val[p+16:]
	if v.present&^l.stored != 0 || v.bools&^v.present != 0 {
		return errIndicatorValue
	}
	need := 0
	for g, w := range slotWidths {
		need += w * popCount(v.present&l.group[g])
	}
	if need != len(v.slots) {
		return errIndicatorValue
	}
	return nil
}

func popCount(m uint64) int { return popBelow(m, 64) }

// ID is the record's ID.
func (v IndicatorView) ID() string { return string(v.id) }

// IDBytes is ID without a copy; valid as long as the view.
func (v IndicatorView) IDBytes() []byte { return v.id }

// EventDate is the record's event date (see EventDate), YYYY-MM-DD.
func (v IndicatorView) EventDate() string { return string(v.date) }

// EventDateBytes is EventDate without a copy; valid as long as the view.
func (v IndicatorView) EventDateBytes() []byte { return v.date }

// Kind is the kind of the record.
func (v IndicatorView) Kind() sdk.Kind { return v.lay.kind }

// Country is the record's country (ISO 3166-1 alpha-2).
func (v IndicatorView) Country() string { return string(v.country) }

// CountryBytes is Country without a copy; valid as long as the view.
func (v IndicatorView) CountryBytes() []byte { return v.country }

// SubJurisdiction is the record's sub-jurisdiction ("" outside Bosnia and
// Herzegovina).
func (v IndicatorView) SubJurisdiction() string { return string(v.sub) }

// SubJurisdictionBytes is SubJurisdiction without a copy.
func (v IndicatorView) SubJurisdictionBytes() []byte { return v.sub }

// Has reports whether the record answers indicator ord.
func (v IndicatorView) Has(ord int) bool {
	return ord >= 0 && ord < len(v.lay.inds) && v.present&(1<<ord) != 0
}

// offset is where the slot of indicator ord starts: the slots of every
// wider group, then the slots of its own group before it.
func (v IndicatorView) offset(ord int) int {
	off := 0
	w := v.lay.width[ord]
	for g, gw := range slotWidths {
		if gw == w {
			return off + w*popBelow(v.present&v.lay.group[g], ord)
		}
		off += gw * popCount(v.present&v.lay.group[g])
	}
	return -1
}

// slot returns the bytes of indicator ord's slot, if it is answered and of
// type t.
func (v IndicatorView) slot(ord int, types ...sdk.IndicatorType) ([]byte, bool) {
	if !v.Has(ord) {
		return nil, false
	}
	typ := v.lay.inds[ord].Type
	for _, t := range types {
		if t == typ {
			off := v.offset(ord)
			return v.slots[off : off+v.lay.width[ord]], true
		}
	}
	return nil, false
}

// Bool returns the value of bool indicator ord.
func (v IndicatorView) Bool(ord int) (value, ok bool) {
	if !v.Has(ord) || v.lay.inds[ord].Type != sdk.IndicatorBool {
		return false, false
	}
	return v.bools&(1<<ord) != 0, true
}

// Int returns the value of a count, days or months indicator.
func (v IndicatorView) Int(ord int) (int64, bool) {
	b, ok := v.slot(ord, sdk.IndicatorCount, sdk.IndicatorDays, sdk.IndicatorMonths)
	if !ok {
		return 0, false
	}
	return int64(binary.LittleEndian.Uint32(b)), true
}

// EUR returns the value of an eur indicator.
func (v IndicatorView) EUR(ord int) (float64, bool) {
	b, ok := v.slot(ord, sdk.IndicatorEUR)
	if !ok {
		return 0, false
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b)), true
}

// Date returns the value of a date indicator in days since 1970-01-01.
func (v IndicatorView) Date(ord int) (int32, bool) {
	b, ok := v.slot(ord, sdk.IndicatorDate)
	if !ok {
		return 0, false
	}
	return int32(binary.LittleEndian.Uint32(b)), true
}

// Enum returns the index, in the indicator's closed list, of the value of
// enum indicator ord.
func (v IndicatorView) Enum(ord int) (int, bool) {
	b, ok := v.slot(ord, sdk.IndicatorEnum)
	if !ok || int(b[0]) >= len(v.lay.inds[ord].Options) {
		return 0, false
	}
	return int(b[0]), true
}

// Set returns the values of set indicator ord as a bit mask: bit j is set
// when the j-th value of its closed list is chosen.
func (v IndicatorView) Set(ord int) (uint64, bool) {
	b, ok := v.slot(ord, sdk.IndicatorSet)
	if !ok {
		return 0, false
	}
	switch len(b) {
	case 8:
		return binary.LittleEndian.Uint64(b), true
	case 4:
		return uint64(binary.LittleEndian.Uint32(b)), true
	case 2:
		return uint64(binary.LittleEndian.Uint16(b)), true
	}
	return uint64(b[0]), true
}

// Common decodes every stored indicator into an sdk.Common, with the
// canonical Go types (dates as "YYYY-MM-DD"). For tests and tools; queries
// use the typed methods.
func (v IndicatorView) Common() sdk.Common {
	c := sdk.Common{}
	for i, ind := range v.lay.inds {
		if !v.Has(i) {
			continue
		}
		switch ind.Type {
		case sdk.IndicatorBool:
			c[ind.Name], _ = v.Bool(i)
		case sdk.IndicatorEUR:
			c[ind.Name], _ = v.EUR(i)
		case sdk.IndicatorCount, sdk.IndicatorDays, sdk.IndicatorMonths:
			c[ind.Name], _ = v.Int(i)
		case sdk.IndicatorDate:
			d, _ := v.Date(i)
			c[ind.Name] = epoch.AddDate(0, 0, int(d)).Format(sdk.DateLayout)
		case sdk.IndicatorEnum:
			if e, ok := v.Enum(i); ok {
				c[ind.Name] = ind.Options[e].Value
			}
		case sdk.IndicatorSet:
			m, _ := v.Set(i)
			vals := []string{}
			for j, o := range ind.Options {
				if m&(1<<j) != 0 {
					vals = append(vals, o.Value)
				}
			}
			c[ind.Name] = vals
		}
	}
	return c
}
