extension JSONValue {
    /// The value as JSON text: compact by default, or indented two spaces per level.
    public func serialized(pretty: Bool = false) -> String {
        String(decoding: serializedBytes(pretty: pretty), as: UTF8.self)
    }

    /// The value as UTF-8 JSON text.
    public func serializedBytes(pretty: Bool = false) -> [UInt8] {
        var writer = JSONWriter(capacity: 256, pretty: pretty)
        write(to: &writer)
        return writer.finish()
    }

    /// Appends the value to a writer, as one value at the writer's current position.
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .integer(let value): writer.int(value)
        case .double(let value): writer.double(value)
        case .string(let value): writer.string(value)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(to: &writer) }
            writer.endArray()
        case .object(let object):
            writer.beginObject()
            for (key, value) in object {
                writer.key(key)
                value.write(to: &writer)
            }
            writer.endObject()
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { serialized() }
}
