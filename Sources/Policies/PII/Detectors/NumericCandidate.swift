/// A digit sequence with separators, as read by ``PIIScanner/detectNumeric(_:)``.
struct NumericCandidate {
    /// Up to 24 digit values (0...9).
    var digits = InlineArray<24, UInt8>(repeating: 0)
    var digitCount = 0
    /// End offset of each group (at most 12 groups).
    var groupEnds = InlineArray<12, Int>(repeating: 0)
    /// Digits in each group.
    var groupLengths = InlineArray<12, Int>(repeating: 0)
    /// The separator byte before each group (0 for the first).
    var separators = InlineArray<12, UInt8>(repeating: 0)
    var groupCount = 0
    var plus = false
    var parenthesisedFirstGroup = false
}
