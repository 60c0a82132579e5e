/// One header field as it appeared on the wire: the name keeps its original case.
public struct HTTPField: Sendable, Hashable {
    /// The field name, original case preserved (RFC 9110 §5.1: names are case-insensitive).
    public var name: String
    /// The field value with leading and trailing whitespace (OWS) removed.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An ordered list of header fields with case-insensitive lookup (RFC 9110 §5).
///
/// Order and original case are kept because some consumers (proxies, signatures, tests) care;
/// lookups fold ASCII case without allocating.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields in wire order.
    public private(set) var fields: [HTTPField]

    /// Creates headers from fields in order.
    public init(_ fields: [HTTPField] = []) {
        self.fields = fields
    }

    /// Creates headers from `(name, value)` pairs in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }

    /// The number of fields (a repeated name counts each time).
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// Iterates the fields in wire order.
    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }

    /// The first value of the field named `name` (any case), or nil.
    public subscript(name: String) -> String? {
        fields.first { HTTPHeaders.namesEqual($0.name, name) }?.value
    }

    /// Every value of the field named `name` (any case), in order.
    public func values(for name: String) -> [String] {
        fields.filter { HTTPHeaders.namesEqual($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` (any case) is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { HTTPHeaders.namesEqual($0.name, name) }
    }

    /// The comma-separated list elements of every field named `name` (RFC 9110 §5.6.1),
    /// trimmed, with empty elements dropped. Case is preserved.
    public func listElements(for name: String) -> [String] {
        HTTPSyntax.listElements(values(for: name))
    }

    /// Whether `token` appears (ASCII case-insensitively) as a list element of any field named
    /// `name`, e.g. `containsToken("upgrade", in: "Connection")` for `Connection: keep-alive, Upgrade`.
    public func containsToken(_ token: String, in name: String) -> Bool {
        fields.contains {
            HTTPHeaders.namesEqual($0.name, name) && HTTPSyntax.listValue($0.value, containsToken: token)
        }
    }

    /// Appends a field (duplicates allowed).
    public mutating func add(name: String, value: String) {
        fields.append(HTTPField(name: name, value: value))
    }

    /// Removes every field named `name`, then appends one with `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field named `name` (any case).
    public mutating func remove(name: String) {
        fields.removeAll { HTTPHeaders.namesEqual($0.name, name) }
    }

    /// ASCII case-insensitive comparison of two strings, over their contiguous UTF-8 when
    /// available (the common case: this runs for every field of every request).
    package static func namesEqual(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                for index in 0..<left.count where left[index] != right[index] {
                    if HTTPSyntax.lowercased(left[index]) != HTTPSyntax.lowercased(right[index]) {
                        return false
                    }
                }
                return true
            }
        }
        if let result = fast ?? nil { return result }
        return namesEqual(Substring(lhs), Substring(rhs))
    }

    /// ASCII case-insensitive comparison, the rule for field names and most tokens.
    package static func namesEqual(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            if HTTPSyntax.lowercased(a) != HTTPSyntax.lowercased(b) { return false }
        }
        return true
    }

    /// Removes leading and trailing SP and HTAB (OWS).
    package static func trimmingWhitespace(_ text: some StringProtocol) -> String {
        let bytes = Array(text.utf8)
        var start = 0
        var end = bytes.count
        while start < end, HTTPSyntax.isWhitespace(bytes[start]) { start += 1 }
        while end > start, HTTPSyntax.isWhitespace(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
