package query

// Limits cap the size of a query. A query over any of them is refused
// before it is sent (by the requester) and before it is evaluated (by an
// answering node, which may set its own). Zero fields take the defaults.
type Limits struct {
	// MaxBytes caps the query text, in bytes.
	MaxBytes int `json:"max_bytes" mapstructure:"max_bytes"`
	// MaxJSONBytes caps the JSON form, in bytes.
	MaxJSONBytes int `json:"max_json_bytes" mapstructure:"max_json_bytes"`
	// MaxGroups caps the groups after "by".
	MaxGroups int `json:"max_groups" mapstructure:"max_groups"`
	// MaxNesting caps how deep "not" and parentheses nest in a where.
	MaxNesting int `json:"max_nesting" mapstructure:"max_nesting"`
	// MaxComparisons caps the comparisons in a where.
	MaxComparisons int `json:"max_comparisons" mapstructure:"max_comparisons"`
	// MaxInList caps the values of one in-list.
	MaxInList int `json:"max_in_list" mapstructure:"max_in_list"`
	// MaxEdges caps a histogram's edges.
	MaxEdges int `json:"max_edges" mapstructure:"max_edges"`
}

// DefaultLimits are the limits of a node that sets none. They are wide
// enough for every question of the regional report and small enough that
// no query can enumerate a node's records cell by cell.
var DefaultLimits = Limits{
	MaxBytes:       1024,
	MaxJSONBytes:   16 << 10,
	MaxGroups:      4,
	MaxNesting:     6,
	MaxComparisons: 16,
	MaxInList:      32,
	MaxEdges:       32,
}

// withDefaults returns l with every zero field set to its default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.MaxBytes, d.MaxBytes)
	set(&l.MaxJSONBytes, d.MaxJSONBytes)
	set(&l.MaxGroups, d.MaxGroups)
	set(&l.MaxNesting, d.MaxNesting)
	set(&l.MaxComparisons, d.MaxComparisons)
	set(&l.MaxInList, d.MaxInList)
	set(&l.MaxEdges, d.MaxEdges)
	return l
}
