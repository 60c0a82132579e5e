/// The recursive-descent core of ``JSONParser``: one pass over borrowed bytes.
///
/// Strings without escapes are turned into `String`s straight from the input; escaped ones are
/// assembled in one scratch buffer reused across the whole parse, so a parse allocates little
/// beyond the values it returns.
struct JSONScanner {
    private let buffer: UnsafeBufferPointer<UInt8>
    private let configuration: JSONParser.Configuration
    /// The next byte to read.
    private(set) var index = 0
    private var depth = 0
    private var scratch: [UInt8] = []

    init(buffer: UnsafeBufferPointer<UInt8>, configuration: JSONParser.Configuration) {
        self.buffer = buffer
        self.configuration = configuration
    }

    var isAtEnd: Bool { index >= buffer.count }

    /// RFC 8259 §2: `ws = *( %x20 / %x09 / %x0A / %x0D )`.
    mutating func skipWhitespace() {
        while index < buffer.count {
            switch buffer[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// RFC 8259 §3: `value = false / null / true / object / array / number / string`.
    mutating func parseValue() throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard index < buffer.count else { throw JSONError(.unexpectedEnd, at: index) }
        switch buffer[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case let byte:
            throw JSONError(.unexpectedByte(byte), at: index)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for expected in bytes {
            guard index < buffer.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard buffer[index] == expected else {
                throw JSONError(.unexpectedByte(buffer[index]), at: index)
            }
            index += 1
        }
    }

    private mutating func enterContainer() throws(JSONError) {
        depth += 1
        if depth > configuration.maxDepth {
            throw JSONError(.depthLimitExceeded(configuration.maxDepth), at: index)
        }
        index += 1
    }

    /// RFC 8259 §5: `array = begin-array [ value *( value-separator value ) ] end-array`.
    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        var elements: [JSONValue] = []
        // Room for a few elements at once: most arrays are short (a Socket.IO event is a name and
        // an argument or two), and growing one element at a time would allocate at 1, 2 and 4.
        elements.reserveCapacity(4)
        while true {
            elements.append(try parseValue())
            if try closesAfterElement(UInt8(ascii: "]")) { return .array(elements) }
        }
    }

    /// RFC 8259 §4: `object = begin-object [ member *( value-separator member ) ] end-object`,
    /// `member = string name-separator value`; duplicate names refused (see ``JSONParser``).
    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject())
        }
        var members: [JSONObject.Element] = []
        // Small objects are checked for duplicates by a scan; a set takes over past 16 keys.
        var seen: Set<String>?
        while true {
            guard index < buffer.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard buffer[index] == UInt8(ascii: "\"") else {
                throw JSONError(.unexpectedByte(buffer[index]), at: index)
            }
            let keyOffset = index
            let key = try parseString()
            if seen == nil, members.count >= 16 { seen = Set(members.map(\.key)) }
            if seen != nil {
                guard seen!.insert(key).inserted else { throw JSONError(.duplicateKey(key), at: keyOffset) }
            } else if members.contains(where: { $0.key == key }) {
                throw JSONError(.duplicateKey(key), at: keyOffset)
            }
            skipWhitespace()
            guard index < buffer.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard buffer[index] == UInt8(ascii: ":") else {
                throw JSONError(.unexpectedByte(buffer[index]), at: index)
            }
            index += 1
            members.append((key, try parseValue()))
            if try closesAfterElement(UInt8(ascii: "}")) { return .object(JSONObject(uniqueMembers: members)) }
        }
    }

    /// What follows an array element or object member (RFC 8259 §4–5): a value separator —
    /// refused when `closer` comes right after it (a trailing comma) — which returns false, or
    /// `closer`, consumed, which returns true.
    private mutating func closesAfterElement(_ closer: UInt8) throws(JSONError) -> Bool {
        skipWhitespace()
        guard index < buffer.count else { throw JSONError(.unexpectedEnd, at: index) }
        let byte = buffer[index]
        if byte == closer {
            index += 1
            return true
        }
        guard byte == UInt8(ascii: ",") else { throw JSONError(.unexpectedByte(byte), at: index) }
        let comma = index
        index += 1
        skipWhitespace()
        if index < buffer.count, buffer[index] == closer { throw JSONError(.trailingComma, at: comma) }
        return false
    }

    /// RFC 8259 §6: `number = [ minus ] int [ frac ] [ exp ]`, `int = zero / ( digit1-9 *DIGIT )`.
    private mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = index
        let negative = buffer[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < buffer.count, isDigit(buffer[index]) else { throw JSONError(.missingDigits, at: index) }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
            if index < buffer.count, isDigit(buffer[index]) { throw JSONError(.leadingZero, at: index - 1) }
        } else {
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        let integerEnd = index
        var isInteger = true
        if index < buffer.count, buffer[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try skipDigits()
        }
        if index < buffer.count, buffer[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < buffer.count, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-")
            {
                index += 1
            }
            try skipDigits()
        }
        if isInteger,
            let value = integerValue(from: negative ? start + 1 : start, to: integerEnd, negative: negative)
        {
            // `-0` keeps its sign as a double; as an integer it would silently become `0`.
            return negative && value == 0 ? .double(-0.0) : .integer(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONError(.numberOutOfRange, at: start) }
        return .double(value)
    }

    /// One or more digits, as a fraction or exponent needs.
    private mutating func skipDigits() throws(JSONError) {
        guard index < buffer.count, isDigit(buffer[index]) else { throw JSONError(.missingDigits, at: index) }
        while index < buffer.count, isDigit(buffer[index]) { index += 1 }
    }

    /// The digits as `Int64`, or `nil` on overflow. Accumulates on the negative side so
    /// `-9223372036854775808` fits.
    private func integerValue(from start: Int, to end: Int, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for position in start..<end {
            let digit = Int64(buffer[position] &- UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// RFC 8259 §7: a quoted string. Returns the unescaped text; `index` ends after the quote.
    mutating func parseString() throws(JSONError) -> String {
        let quote = index
        index += 1
        var runStart = index
        var escaped = false
        scratch.removeAll(keepingCapacity: true)
        while true {
            guard index < buffer.count else { throw JSONError(.unexpectedEnd, at: index) }
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index]))
                escaped = true
                try parseEscape()
                runStart = index
                if scratch.count > configuration.maxStringBytes { break }
                continue
            }
            if byte < 0x20 { throw JSONError(.controlCharacterInString(byte), at: index) }
            if byte < 0x80 {
                index += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        let run = UnsafeBufferPointer(rebasing: buffer[runStart..<index])
        let length = escaped ? scratch.count + run.count : run.count
        guard length <= configuration.maxStringBytes else {
            throw JSONError(.stringTooLong(configuration.maxStringBytes), at: quote)
        }
        index += 1
        if !escaped { return String(decoding: run, as: UTF8.self) }
        scratch.append(contentsOf: run)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// One escape sequence starting at the backslash, appended to `scratch` as UTF-8.
    private mutating func parseEscape() throws(JSONError) {
        let start = index
        guard index + 1 < buffer.count else { throw JSONError(.unexpectedEnd, at: buffer.count) }
        let letter = buffer[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hexQuad(escapeStart: start)
            var scalar = UInt32(unit)
            switch unit {
            case 0xD800...0xDBFF:
                // §7: a character outside the BMP is a surrogate pair of two \u escapes.
                guard index + 1 < buffer.count, buffer[index] == UInt8(ascii: "\\"),
                    buffer[index + 1] == UInt8(ascii: "u")
                else { throw JSONError(.loneSurrogate(unit), at: start) }
                let lowStart = index
                index += 2
                let low = try hexQuad(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONError(.loneSurrogate(unit), at: start)
                }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            case 0xDC00...0xDFFF:
                throw JSONError(.loneSurrogate(unit), at: start)
            default:
                break
            }
            appendUTF8(scalar)
        default:
            throw JSONError(.invalidEscape(letter), at: start)
        }
    }

    /// Four hex digits after `\u`; `index` is at the first.
    private mutating func hexQuad(escapeStart: Int) throws(JSONError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < buffer.count else { throw JSONError(.unexpectedEnd, at: index) }
            let byte = buffer[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError(.invalidUnicodeEscape, at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Checks one multi-byte UTF-8 sequence at `index` against the well-formed table
    /// (Unicode §3.9, Table 3-7): no overlong forms, no surrogates, nothing past U+10FFFF.
    private mutating func skipUTF8Sequence() throws(JSONError) {
        let lead = buffer[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: throw JSONError(.invalidUTF8, at: index)
        }
        for offset in 1..<length {
            guard index + offset < buffer.count else { throw JSONError(.unexpectedEnd, at: buffer.count) }
            let byte = buffer[index + offset]
            let range = offset == 1 ? secondRange : 0x80...0xBF
            guard range.contains(byte) else { throw JSONError(.invalidUTF8, at: index) }
        }
        index += length
    }
}
