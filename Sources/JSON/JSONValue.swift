/// A JSON value (RFC 8259 §3): what Persona's protocols, error bodies and `--format json`
/// outputs are made of.
///
/// Numbers keep the distinction JSON text makes: a literal without fraction or exponent that
/// fits in 64 bits is an ``integer(_:)``; anything else is a ``double(_:)``. So `1` and `1.0`
/// are different values, and `parse(serialize(v)) == v` holds for every finite value.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer literal that fits in `Int64`.
    case integer(Int64)
    /// Any other number. Non-finite doubles have no JSON form and serialize as `null`.
    case double(Double)
    /// A string (any Unicode text; RFC 8259 §7).
    case string(String)
    /// An ordered list of values.
    case array([JSONValue])
    /// Members in insertion order; see ``JSONObject`` for equality and lookup.
    case object(JSONObject)
}
