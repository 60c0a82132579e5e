import JSON

/// The members of one decoded frame, read with errors that name the member at fault.
///
/// Shared by both directions: client frames are read strictly (unknown members refused, see
/// ``rejectUnknown(allowed:)``), server frames leniently (clients skip what they do not know).
/// A `null` optional member reads as absent, as most JSON producers write it that way.
struct FrameFields {
    let object: JSONObject
    /// The client message id read so far, echoed as the error's `ref`.
    var ref: String?
    /// The session read so far, echoed in the error.
    var session: String?

    init(_ object: JSONObject) {
        self.object = object
    }

    func failure(_ code: ErrorCode, _ field: String?, _ message: String) -> ProtocolError {
        ProtocolError(code, field: field, message, ref: ref, session: session)
    }

    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String, maxBytes: Int = .max, allowEmpty: Bool = false) throws(ProtocolError)
        -> String?
    {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            throw failure(.invalidField, key, "'\(key)' must be a string")
        }
        if !allowEmpty && text.isEmpty { throw failure(.invalidField, key, "'\(key)' must not be empty") }
        if text.utf8.count > maxBytes {
            throw failure(.invalidField, key, "'\(key)' is longer than \(maxBytes) bytes")
        }
        return text
    }

    func requiredString(_ key: String, maxBytes: Int = .max, allowEmpty: Bool = false) throws(ProtocolError)
        -> String
    {
        guard let text = try string(key, maxBytes: maxBytes, allowEmpty: allowEmpty) else {
            throw failure(.missingField, key, "'\(key)' is required")
        }
        return text
    }

    func bool(_ key: String) throws(ProtocolError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw failure(.invalidField, key, "'\(key)' must be true or false")
        }
        return flag
    }

    func requiredBool(_ key: String) throws(ProtocolError) -> Bool {
        guard let flag = try bool(key) else { throw failure(.missingField, key, "'\(key)' is required") }
        return flag
    }

    func int(_ key: String, range: ClosedRange<Int64> = 0...Int64.max) throws(ProtocolError) -> Int64? {
        guard let value = value(key) else { return nil }
        guard case .integer(let number) = value, range.contains(number) else {
            throw failure(
                .invalidField, key, "'\(key)' must be an integer in \(range.lowerBound)...\(range.upperBound)"
            )
        }
        return number
    }

    func requiredInt(_ key: String, range: ClosedRange<Int64> = 0...Int64.max) throws(ProtocolError) -> Int64
    {
        guard let number = try int(key, range: range) else {
            throw failure(.missingField, key, "'\(key)' is required")
        }
        return number
    }

    func requiredObject(_ key: String) throws(ProtocolError) -> FrameFields {
        guard let value = value(key) else { throw failure(.missingField, key, "'\(key)' is required") }
        guard case .object(let inner) = value else {
            throw failure(.invalidField, key, "'\(key)' must be an object")
        }
        var fields = FrameFields(inner)
        fields.ref = ref
        fields.session = session
        return fields
    }

    func strings(_ key: String, maxCount: Int, maxBytes: Int) throws(ProtocolError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else {
            throw failure(.invalidField, key, "'\(key)' must be an array of strings")
        }
        if items.count > maxCount {
            throw failure(.invalidField, key, "'\(key)' has more than \(maxCount) entries")
        }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let name = "\(key)[\(index)]"
            guard case .string(let text) = item, !text.isEmpty else {
                throw failure(.invalidField, name, "'\(name)' must be a non-empty string")
            }
            if text.utf8.count > maxBytes {
                throw failure(.invalidField, name, "'\(name)' is longer than \(maxBytes) bytes")
            }
            result.append(text)
        }
        return result
    }

    func enumeration<Value: RawRepresentable>(_ key: String, as type: Value.Type) throws(ProtocolError)
        -> Value?
    where Value.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let parsed = Value(rawValue: text) else {
            throw failure(.invalidField, key, "'\(key)' has an unknown value")
        }
        return parsed
    }

    /// Refuses members outside `allowed` (`type` is always allowed), naming the first one.
    func rejectUnknown(allowed: [String]) throws(ProtocolError) {
        for (key, _) in object where key != "type" && !allowed.contains(key) {
            throw failure(.invalidField, key, "unknown member '\(key)'")
        }
    }
}
