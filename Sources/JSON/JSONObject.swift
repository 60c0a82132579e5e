/// The members of a JSON object, kept in insertion order.
///
/// Order is kept because people read these objects (logs, `--format json`, protocol
/// transcripts) and expect `type` to stay first. Equality and hashing ignore order, as
/// RFC 8259 §4 says objects are unordered: `{"a":1,"b":2} == {"b":2,"a":1}`.
///
/// Storage is a plain array of members and lookup is a linear scan. Persona's objects are
/// small (protocol frames, error bodies: a handful of keys), where a scan beats hashing and
/// building an index per object would double the parser's allocations. Keys are unique: setting
/// an existing key replaces its value in place.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One member.
    public typealias Element = (key: String, value: JSONValue)

    private var members: [Element]

    /// An empty object.
    public init() {
        members = []
    }

    /// An object from members in order; a repeated key keeps its first position and last value.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        self.members = []
        for (key, value) in members { self[key] = value }
    }

    /// An object from a literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// Members whose keys are already known to be unique (the parser checked them).
    package init(uniqueMembers: [Element]) {
        members = uniqueMembers
    }

    /// The first index.
    public var startIndex: Int { members.startIndex }
    /// One past the last index.
    public var endIndex: Int { members.endIndex }
    /// The member at `position`.
    public subscript(position: Int) -> Element { members[position] }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The value for `key`, or `nil`; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            members.first(where: { $0.key == key })?.value
        }
        set {
            let index = members.firstIndex(where: { $0.key == key })
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// Whether the object has a member called `key`.
    public func contains(key: String) -> Bool {
        members.contains { $0.key == key }
    }

    /// Same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.count <= 16 {
            return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
        }
        var index: [String: JSONValue] = [:]
        index.reserveCapacity(rhs.count)
        for member in rhs.members { index[member.key] = member.value }
        return lhs.members.allSatisfy { index[$0.key] == $0.value }
    }

    /// Order-independent: the members' hashes are summed, so equal objects hash equally.
    public func hash(into hasher: inout Hasher) {
        var sum = 0
        for member in members {
            var memberHasher = Hasher()
            memberHasher.combine(member.key)
            memberHasher.combine(member.value)
            sum &+= memberHasher.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(sum)
    }
}
