package sdk

// Rule codes: FieldError.Code of the rules the sdk checks, so that an
// interface can word a problem in the monitor's language (the catalogue's
// "rule.<code>" texts) while FieldError.Rule keeps the English sentence.
// Each constant documents its Args, in order. A plugin's own rule may use
// them too (plugins/README.md); a rule without a code is shown as Rule.
const (
	// RuleRequired: "is required". No args.
	RuleRequired = "required"
	// RuleRange: "must be 0..600". Args: min, max.
	RuleRange = "range"
	// RuleMin: "must be a number of at least 0". Args: min.
	RuleMin = "min"
	// RuleMax: "must be a number of at most 10". Args: max.
	RuleMax = "max"
	// RuleNumber: "must be a number". No args.
	RuleNumber = "number"
	// RuleWholeMin: "must be a whole number of at least 0". Args: min.
	RuleWholeMin = "whole_min"
	// RuleWholeMax: "must be a whole number of at most 10". Args: max.
	RuleWholeMax = "whole_max"
	// RuleWholeNumber: "must be a whole number". No args.
	RuleWholeNumber = "whole_number"
	// RuleBoolean: "must be true or false". No args.
	RuleBoolean = "boolean"
	// RuleOneOf: "must be one of a, b, c". Args: the allowed values.
	RuleOneOf = "one_of"
	// RuleListOf: "must be a list of values from a, b, c". Args: the
	// allowed values.
	RuleListOf = "list_of"
	// RuleRepeat: "must not repeat a value". No args; Got is the value.
	RuleRepeat = "repeat"
	// RuleDateFormat: "must be a date YYYY-MM-DD". No args.
	RuleDateFormat = "date_format"
	// RuleDateBeforeEarliest: "must not be before 1900-01-01". Args: the
	// earliest date (EarliestDate).
	RuleDateBeforeEarliest = "date_before_earliest"
	// RuleDateAfterToday: "must not be in the future (after 2026-05-01)".
	// Args: today's date.
	RuleDateAfterToday = "date_after_today"
	// RuleTooLong: "must be at most 200 characters". Args: the most
	// characters allowed, the characters given (Got says "250 characters").
	RuleTooLong = "too_long"
	// RuleControlChar: "must not contain control characters". No args;
	// Got is the character, e.g. "U+0007".
	RuleControlChar = "control_char"
	// RuleBeforeField: "must not be before indictment_date (2024-03-01)".
	// Args: the other field's id, its date.
	RuleBeforeField = "before_field"
	// RuleMoreThanField: "must not be more than victims (2)". Args: the
	// other field's id, its number.
	RuleMoreThanField = "more_than_field"
	// RuleOnlyWhen: "may be answered only when verdict is convicted or
	// plea_agreement". Args: the choice field's id, then its values that
	// allow an answer.
	RuleOnlyWhen = "only_when"
)
