import JSON

/// How a ``StreamLogSink`` renders a record as one line.
public enum LogFormat: String, CaseIterable, Hashable, Sendable {
    /// One JSON object per line (JSON Lines): `{"ts":…,"level":…,"logger":…,"msg":…,…fields}`.
    case json
    /// logfmt: `ts=… level=info logger=persona.server msg="session started" session=s-1`.
    case logfmt

    /// `record` rendered as one line, with the trailing `\n`.
    ///
    /// Fixed keys come first (`ts`, `level`, `logger`, `msg`); a field whose key collides with
    /// one of them is written with a `field_` prefix so it cannot forge the level or message.
    public func render(_ record: LogRecord) -> String {
        var pairs: [(String, LogValue)] = [
            ("ts", .string(record.time.description)), ("level", .string(record.level.description)),
            ("logger", .string(record.label)), ("msg", .string(record.message)),
        ]
        for field in record.fields {
            let key = ["ts", "level", "logger", "msg"].contains(field.key) ? "field_" + field.key : field.key
            pairs.append((key, field.value))
        }
        switch self {
        case .json:
            let members = pairs.map { key, value in Self.jsonString(key) + ":" + Self.json(value) }
            return "{" + members.joined(separator: ",") + "}\n"
        case .logfmt:
            return pairs.map { key, value in Self.logfmtKey(key) + "=" + Self.logfmt(value) }.joined(
                separator: " ") + "\n"
        }
    }

    private static func json(_ value: LogValue) -> String {
        switch value {
        case .string(let text): jsonString(text)
        case .double(let number) where !number.isFinite: "null"
        default: value.description
        }
    }

    /// RFC 8259 §7 string escaping, by the JSON module's one escaper.
    static func jsonString(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONBytes.appendString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// logfmt has no formal spec; we follow the common reading (go-logfmt): a value is bare
    /// unless it is empty or holds a space, `=`, `"` or a control character, in which case it
    /// is double-quoted with `\"`, `\\`, `\n`, `\r`, `\t` escapes — so one record is always
    /// one line.
    private static func logfmt(_ value: LogValue) -> String {
        guard case .string(let text) = value else { return value.description }
        let needsQuotes =
            text.isEmpty
            || text.unicodeScalars.contains { scalar in
                scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\" || scalar.value < 0x20
                    || scalar.value == 0x7F
            }
        guard needsQuotes else { return text }
        return jsonString(text)
    }

    /// Keys are code constants, but are still kept to `[A-Za-z0-9_.-]` so a line parses.
    private static func logfmtKey(_ key: String) -> String {
        String(
            key.unicodeScalars.map { scalar -> Character in
                let ok =
                    (scalar.value < 0x80)
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "_.-".unicodeScalars.contains(scalar))
                return ok ? Character(scalar) : "_"
            })
    }
}
