/// Writes JSON text straight into a byte buffer, for hot paths (WebSocket frames, error bodies)
/// that should not build a ``JSONValue`` first.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.beginObject()
/// writer.member("type", "delta")       // or writer.key("type"); writer.string("delta")
/// writer.member("seq", 42)
/// writer.endObject()
/// socket.send(writer.bytes)          // {"type":"delta","seq":42}
/// writer.removeAll()                 // reuse the buffer for the next frame
/// ```
///
/// The writer inserts commas, colons and (when ``isPretty``) newlines and indentation itself.
/// It trusts its caller to pair begins with ends and to give objects a key before each value:
/// debug builds assert on misuse, release builds write whatever they were told. Escaping follows
/// RFC 8259 §7 (quotation mark, reverse solidus and U+0000 to U+001F; `/` and non-ASCII text are
/// written as they are, in UTF-8). Non-finite doubles have no JSON form and are written as `null`.
public struct JSONWriter: Sendable {
    /// The JSON text written so far.
    public private(set) var bytes: [UInt8]
    /// Whether to write newlines and two-space indentation (`"key": value`).
    public var isPretty: Bool

    /// One entry per open container: whether it is an object, and whether it has a member yet.
    private var levels: [Level] = []
    /// Whether a key was just written, so the next value follows its colon.
    private var afterKey = false

    private struct Level: Sendable {
        var isObject: Bool
        var hasMembers: Bool
    }

    /// Creates a writer with room for `capacity` bytes before it first grows.
    public init(capacity: Int = 256, pretty: Bool = false) {
        bytes = []
        bytes.reserveCapacity(capacity)
        levels.reserveCapacity(8)
        isPretty = pretty
    }

    /// Empties the buffer, keeping its capacity, to write the next document.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        levels.removeAll(keepingCapacity: true)
        afterKey = false
    }

    /// Takes the written bytes out, leaving the writer empty.
    public mutating func finish() -> [UInt8] {
        defer { removeAll() }
        return bytes
    }

    /// The written text as a `String`.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Structure

    /// `{`.
    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        levels.append(Level(isObject: true, hasMembers: false))
    }

    /// `}`.
    public mutating func endObject() {
        endContainer(UInt8(ascii: "}"), isObject: true)
    }

    /// `[`.
    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        levels.append(Level(isObject: false, hasMembers: false))
    }

    /// `]`.
    public mutating func endArray() {
        endContainer(UInt8(ascii: "]"), isObject: false)
    }

    /// A member name inside an object; the next call writes its value.
    public mutating func key(_ name: String) {
        assert(levels.last?.isObject == true && !afterKey, "JSONWriter: key outside an object or after a key")
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        if isPretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    // MARK: Values

    /// A string value.
    public mutating func string(_ value: String) {
        beforeValue()
        writeString(value)
    }

    /// An integer value.
    public mutating func int(_ value: Int64) {
        beforeValue()
        writeInteger(value)
    }

    /// An integer value.
    public mutating func int(_ value: Int) {
        int(Int64(value))
    }

    /// A number value; shortest form that reads back as the same double; `null` if not finite.
    public mutating func double(_ value: Double) {
        beforeValue()
        guard value.isFinite else {
            appendLiteral("null")
            return
        }
        // Swift's description is the shortest round-tripping form and always JSON-compatible for
        // finite values (`1.0`, `1e-05`, `1.5e+300`); it also keeps a `.0` so the number reads
        // back as a double rather than an integer.
        appendASCII(value.description)
    }

    /// `true` or `false`.
    public mutating func bool(_ value: Bool) {
        beforeValue()
        appendLiteral(value ? "true" : "false")
    }

    /// `null`.
    public mutating func null() {
        beforeValue()
        appendLiteral("null")
    }

    /// Already-serialized JSON text, written as one value (a cached body, a stored fragment).
    ///
    /// Not checked: `json` must be exactly one complete JSON value, or the output is not JSON.
    /// In pretty mode the fragment keeps its own layout.
    public mutating func raw(_ json: some Collection<UInt8>) {
        beforeValue()
        bytes.append(contentsOf: json)
    }

    // MARK: Members

    /// `"key": "value"` inside an object.
    public mutating func member(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    /// `"key": 42` inside an object.
    public mutating func member(_ key: String, _ value: Int) {
        self.key(key)
        int(value)
    }

    /// `"key": 42` inside an object.
    public mutating func member(_ key: String, _ value: Int64) {
        self.key(key)
        int(value)
    }

    /// `"key": 0.5` inside an object.
    public mutating func member(_ key: String, _ value: Double) {
        self.key(key)
        double(value)
    }

    /// `"key": true` inside an object.
    public mutating func member(_ key: String, _ value: Bool) {
        self.key(key)
        bool(value)
    }

    /// `"key": <value>` inside an object.
    public mutating func member(_ key: String, _ value: JSONValue) {
        self.key(key)
        value.write(to: &self)
    }

    /// `"key": null` inside an object.
    public mutating func nullMember(_ key: String) {
        self.key(key)
        null()
    }

    // MARK: Internals

    /// Comma and layout before an array element or object key.
    private mutating func separate() {
        guard let last = levels.indices.last else { return }
        if levels[last].hasMembers { bytes.append(UInt8(ascii: ",")) }
        levels[last].hasMembers = true
        if isPretty { newline(depth: levels.count) }
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        assert(levels.last?.isObject != true, "JSONWriter: value in an object without a key")
        separate()
    }

    private mutating func endContainer(_ byte: UInt8, isObject: Bool) {
        assert(levels.last?.isObject == isObject && !afterKey, "JSONWriter: unbalanced end of container")
        let level = levels.removeLast()
        if isPretty, level.hasMembers { newline(depth: levels.count) }
        bytes.append(byte)
    }

    private mutating func newline(depth: Int) {
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<depth {
            bytes.append(UInt8(ascii: " "))
            bytes.append(UInt8(ascii: " "))
        }
    }

    private mutating func appendLiteral(_ literal: StaticString) {
        bytes.append(
            contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func appendASCII(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// RFC 8259 §7: `"`, `\` and control characters escaped, everything else copied in runs.
    private mutating func writeString(_ value: String) {
        JSONBytes.appendString(value, to: &bytes)
    }

    /// Decimal digits without going through `String`.
    private mutating func writeInteger(_ value: Int64) {
        JSONBytes.appendInteger(value, to: &bytes)
    }
}
