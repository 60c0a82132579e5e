import JSON
import PersonaTestSupport

/// Random JSON values for property tests: every kind, awkward strings, extreme numbers.
enum RandomJSON {
    static let pieces: [String] = [
        "a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "日本", "😀", "\u{2028}",
        "\u{FEFF}", "\u{10FFFF}", "{", "]", ",", ":", "null", "0",
    ]

    static func string(using generator: inout SeededGenerator) -> String {
        let count = Int.random(in: 0...6, using: &generator)
        return (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    static func double(using generator: inout SeededGenerator) -> Double {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return Double.random(in: -1e6...1e6, using: &generator)
        case 1:
            return [0.0, -0.0, 0.1, 1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -1.5e300]
                .randomElement(using: &generator)!
        default:
            let bits = generator.next()
            let value = Double(bitPattern: bits)
            return value.isFinite ? value : 1.25
        }
    }

    static func value(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let kinds = depth > 0 ? 8 : 6
        switch Int.random(in: 0..<kinds, using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            return .integer(
                Bool.random(using: &generator)
                    ? Int64.random(in: -1000...1000, using: &generator) : Int64(bitPattern: generator.next()))
        case 3: return .double(double(using: &generator))
        case 4, 5: return .string(string(using: &generator))
        case 6:
            let count = Int.random(in: 0...4, using: &generator)
            return .array((0..<count).map { _ in value(depth: depth - 1, using: &generator) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                object[string(using: &generator)] = value(depth: depth - 1, using: &generator)
            }
            return .object(object)
        }
    }
}
