/// Measures a ``Scrubber`` against labelled messages: per-type precision, recall and F1,
/// full-span recall, false alarms on clean messages, and the misses.
///
/// Definitions (so numbers from different teams compare):
/// - **typed match**: a finding and a labelled span of the same type that overlap; each is
///   matched at most once, in text order. A ``PIIType/credentialURL`` finding also matches a
///   span labelled `url` (a URL carrying a credential is a URL).
/// - **precision** of a type: matched findings / findings of that type; **recall**: matched
///   labelled spans / labelled spans; **F1** their harmonic mean. "typed" overall figures pool
///   every type (micro average).
/// - **full-span recall**: labelled spans every scalar of which lies inside some finding, of
///   any type — the text would not leak.
/// - **clean false alarms**: messages without labelled spans in which anything was found.
/// - a **miss** is a labelled span not wholly covered; a **false alarm** is a finding that
///   overlaps no labelled span.
public struct PIIScorecard: Sendable {
    /// Counts for one type.
    public struct TypeScore: Hashable, Sendable {
        /// Labelled spans of this type.
        public var labelled = 0
        /// Findings of this type.
        public var found = 0
        /// Matched labelled spans (equal to matched findings).
        public var matched = 0
        /// Labelled spans wholly covered by findings of any type.
        public var covered = 0

        /// matched / found (1 when nothing was found).
        public var precision: Double { found == 0 ? 1 : Double(matched) / Double(found) }
        /// matched / labelled (1 when nothing was labelled).
        public var recall: Double { labelled == 0 ? 1 : Double(matched) / Double(labelled) }
        /// Harmonic mean of precision and recall.
        public var f1: Double {
            let sum = precision + recall
            return sum == 0 ? 0 : 2 * precision * recall / sum
        }
        /// covered / labelled.
        public var fullSpanRecall: Double { labelled == 0 ? 1 : Double(covered) / Double(labelled) }

        mutating func add(_ other: TypeScore) {
            labelled += other.labelled
            found += other.found
            matched += other.matched
            covered += other.covered
        }
    }

    /// A labelled span that was not wholly covered, with what was found in that message.
    public struct Miss: Hashable, Sendable {
        /// The message id.
        public var id: String
        /// The span.
        public var span: LabelledMessage.Span
        /// Its text.
        public var text: String
        /// Findings in the message that overlap it (possibly partly, possibly of another type).
        public var overlapping: [PIIEntity]
    }

    /// A finding that overlaps no labelled span.
    public struct FalseAlarm: Hashable, Sendable {
        /// The message id.
        public var id: String
        /// The finding.
        public var entity: PIIEntity
        /// Its text.
        public var text: String
        /// Whether it overlaps a decoy the set marked.
        public var onDecoy: Bool
    }

    /// Scores per type name (canonical names; see ``canonicalType(_:)``).
    public private(set) var types: [String: TypeScore] = [:]
    /// Messages scored.
    public private(set) var messages = 0
    /// Messages without labelled spans.
    public private(set) var cleanMessages = 0
    /// Clean messages in which something was found.
    public private(set) var cleanFalseAlarms = 0
    /// Decoys marked in the set, and decoys a finding overlapped.
    public private(set) var decoys = 0
    /// Decoys a finding overlapped.
    public private(set) var decoysHit = 0
    /// Every miss, in input order.
    public private(set) var misses: [Miss] = []
    /// Every false alarm, in input order.
    public private(set) var falseAlarms: [FalseAlarm] = []

    /// Creates an empty scorecard.
    public init() {}

    /// All types pooled.
    public var overall: TypeScore {
        var total = TypeScore()
        for score in types.values { total.add(score) }
        return total
    }

    /// Clean messages with a finding / clean messages (0 when there are none).
    public var cleanFalseAlarmRate: Double {
        cleanMessages == 0 ? 0 : Double(cleanFalseAlarms) / Double(cleanMessages)
    }

    /// The scrubber's name for a labelled type: ``PIIType`` raw values and labels in any case,
    /// plus the entity names Microsoft Presidio uses (`EMAIL_ADDRESS`, `PHONE_NUMBER`,
    /// `US_SSN`, `IBAN_CODE`, `CRYPTO`, ...), so sets labelled for other tools score as they are.
    /// Anything else is kept lower-cased.
    public static func canonicalType(_ name: String) -> String {
        let lowered = name.lowercased().replacing("-", with: "_")
        if PIIType(rawValue: lowered) != nil { return lowered }
        switch lowered {
        case "email_address", "e_mail", "mail": return PIIType.email.rawValue
        case "phone_number", "telephone", "tel": return PIIType.phone.rawValue
        case "card", "card_number", "payment_card": return PIIType.creditCard.rawValue
        case "iban_code": return PIIType.iban.rawValue
        case "us_ssn", "social_security_number": return PIIType.ssn.rawValue
        case "ip", "ipv4", "ipv6": return PIIType.ipAddress.rawValue
        case "mac": return PIIType.macAddress.rawValue
        case "crypto", "wallet", "crypto_address": return PIIType.cryptoWallet.rawValue
        case "uri", "link": return PIIType.url.rawValue
        case "token", "access_token", "key": return PIIType.apiKey.rawValue
        case "passwd", "passphrase": return PIIType.password.rawValue
        default: return lowered
        }
    }

    /// Whether a finding of `found` type matches a span labelled `labelled`.
    static func matches(_ found: PIIType, _ labelled: String) -> Bool {
        found.rawValue == labelled || (found == .credentialURL && labelled == PIIType.url.rawValue)
    }

    /// Scores one message given what the scrubber found in it.
    public mutating func add(_ message: LabelledMessage, found: [PIIEntity]) {
        messages += 1
        let scalars = Array(message.text.unicodeScalars)
        func slice(_ start: Int, _ end: Int) -> String {
            var view = String.UnicodeScalarView()
            let lower = max(0, min(start, scalars.count))
            view.append(contentsOf: scalars[lower..<max(lower, min(end, scalars.count))])
            return String(view)
        }
        if message.entities.isEmpty {
            cleanMessages += 1
            if !found.isEmpty { cleanFalseAlarms += 1 }
        }
        for entity in found { types[entity.type.rawValue, default: TypeScore()].found += 1 }
        var foundUsed = [Bool](repeating: false, count: found.count)
        for span in message.entities {
            var score = types[span.type, default: TypeScore()]
            score.labelled += 1
            if let index = found.indices.first(where: {
                !foundUsed[$0] && PIIScorecard.matches(found[$0].type, span.type)
                    && found[$0].start < span.end && span.start < found[$0].end
            }) {
                foundUsed[index] = true
                score.matched += 1
            }
            // Covered: walk the findings (in order, non-overlapping) over the span.
            var cursor = span.start
            for entity in found where entity.start <= cursor && entity.end > cursor { cursor = entity.end }
            if cursor >= span.end {
                score.covered += 1
            } else {
                misses.append(
                    Miss(
                        id: message.id, span: span, text: slice(span.start, span.end),
                        overlapping: found.filter { $0.start < span.end && span.start < $0.end }))
            }
            types[span.type] = score
        }
        decoys += message.decoys.count
        for decoy in message.decoys where found.contains(where: { $0.start < decoy.end && decoy.start < $0.end }) {
            decoysHit += 1
        }
        for entity in found
        where !message.entities.contains(where: { entity.start < $0.end && $0.start < entity.end }) {
            let onDecoy = message.decoys.contains { entity.start < $0.end && $0.start < entity.end }
            falseAlarms.append(
                FalseAlarm(
                    id: message.id, entity: entity, text: slice(entity.start, entity.end), onDecoy: onDecoy))
        }
    }
}
