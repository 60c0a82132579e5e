import Policies

/// Keyed shorthands: read a key and decode it in one step. Absent keys give `nil` without an
/// error; use ``MappingFields/required(_:in:context:)`` for keys that must be present.
extension MappingFields {
    /// The string under `key`.
    public mutating func string(_ key: String, context: inout DecodingContext) -> String? {
        value(key).flatMap { context.string($0, key) }
    }

    /// The whole number under `key`, optionally within `range`.
    public mutating func int(_ key: String, range: ClosedRange<Int>? = nil, context: inout DecodingContext) -> Int? {
        value(key).flatMap { context.int($0, key, range: range) }
    }

    /// The number under `key`, optionally within `range`.
    public mutating func double(_ key: String, range: ClosedRange<Double>? = nil, context: inout DecodingContext) -> Double? {
        value(key).flatMap { context.double($0, key, range: range) }
    }

    /// The boolean under `key`.
    public mutating func bool(_ key: String, context: inout DecodingContext) -> Bool? {
        value(key).flatMap { context.bool($0, key) }
    }

    /// The string or list of strings under `key`.
    public mutating func strings(_ key: String, allowEmpty: Bool = false, context: inout DecodingContext) -> [String]? {
        value(key).flatMap { context.strings($0, key, allowEmpty: allowEmpty) }
    }

    /// The duration under `key`, optionally within `range`.
    public mutating func duration(_ key: String, range: ClosedRange<Duration>? = nil, context: inout DecodingContext) -> Duration? {
        value(key).flatMap { context.duration($0, key, range: range) }
    }

    /// The rate under `key`.
    public mutating func rate(_ key: String, context: inout DecodingContext) -> Rate? {
        value(key).flatMap { context.rate($0, key) }
    }

    /// The enumeration value under `key`.
    public mutating func choice<Value: RawRepresentable & CaseIterable>(
        _ key: String, as type: Value.Type = Value.self, context: inout DecodingContext
    ) -> Value? where Value.RawValue == String {
        value(key).flatMap { context.choice($0, key, as: type) }
    }
}
