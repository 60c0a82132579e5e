/// One finding in scan coordinates (normalised byte offsets, half-open).
struct RawMatch: Hashable, Sendable {
    var start: Int
    var end: Int
    var type: PIIType
    /// Where the text that decided the finding begins: the keyword of "password: x" or
    /// "api_key = x", otherwise `start`. A stream never cuts between anchor and end.
    var anchor: Int
}
