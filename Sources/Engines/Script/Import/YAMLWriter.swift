/// A minimal YAML writer for generated personality files: block mappings and sequences, every
/// string double-quoted (YAML 1.2 §7.3.1) so no value is ever misread as a number, boolean,
/// null or syntax. Keys are quoted too unless they are plain lowercase identifiers.
public enum YAMLValue: Hashable, Sendable {
    /// A string, written double-quoted.
    case string(String)
    /// A whole number, written plain.
    case int(Int)
    /// A list.
    case list([YAMLValue])
    /// A mapping, in the order given.
    case map([(String, YAMLValue)])

    /// Hashable by structure (tuples in `map` compared pairwise).
    public static func == (lhs: YAMLValue, rhs: YAMLValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.list(let a), .list(let b)): return a == b
        case (.map(let a), .map(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Hashes the structure.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let text): hasher.combine(text)
        case .int(let value): hasher.combine(value)
        case .list(let items): hasher.combine(items)
        case .map(let pairs): for (key, value) in pairs { hasher.combine(key); hasher.combine(value) }
        }
    }

    /// The document text for a top-level mapping.
    public func document() -> String {
        var out = ""
        write(into: &out, indent: 0, inline: false)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .string, .int: return true
        case .list(let items): return items.isEmpty
        case .map(let pairs): return pairs.isEmpty
        }
    }

    private var scalarText: String {
        switch self {
        case .string(let text): return Self.quote(text)
        case .int(let value): return String(value)
        case .list: return "[]"
        case .map: return "{}"
        }
    }

    private func write(into out: inout String, indent: Int, inline: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .string, .int:
            out += scalarText + "\n"
        case .list(let items):
            if items.isEmpty { out += "[]\n"; return }
            if inline { out += "\n" }
            for item in items {
                out += pad + "- "
                if case .map(let pairs) = item, !pairs.isEmpty {
                    // First pair on the dash line, the rest aligned under it.
                    Self.writePairs(pairs, into: &out, indent: indent + 2, firstInline: true)
                } else if item.isScalar {
                    out += item.scalarText + "\n"
                } else {
                    item.write(into: &out, indent: indent + 2, inline: true)
                }
            }
        case .map(let pairs):
            if pairs.isEmpty { out += "{}\n"; return }
            if inline { out += "\n" }
            Self.writePairs(pairs, into: &out, indent: indent, firstInline: false)
        }
    }

    private static func writePairs(
        _ pairs: [(String, YAMLValue)], into out: inout String, indent: Int, firstInline: Bool
    ) {
        let pad = String(repeating: " ", count: indent)
        for (index, (key, value)) in pairs.enumerated() {
            if !(firstInline && index == 0) { out += pad }
            out += quoteKey(key) + ":"
            if value.isScalar {
                out += " " + value.scalarText + "\n"
            } else if case .list = value {
                value.write(into: &out, indent: indent + 2, inline: true)
            } else {
                value.write(into: &out, indent: indent + 2, inline: true)
            }
        }
    }

    private static func quoteKey(_ key: String) -> String {
        let plain =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy {
                ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-"
            }
            && key.unicodeScalars.first.map { $0 >= "a" && $0 <= "z" } == true
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(key)
        return plain ? key : quote(key)
    }

    /// A double-quoted YAML scalar with the escapes of YAML 1.2 §5.7.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
