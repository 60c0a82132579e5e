/// Why a payload from another node's channel was refused (the whole payload is dropped and
/// counted; a node never acts on half a batch).
package enum NodeMailError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The payload is not version 1 of the format.
    case unsupportedVersion(UInt8)
    /// The payload ended inside a mail.
    case truncated
    /// A mail kind this version does not know.
    case unknownKind(UInt8)
    /// A string field is not UTF-8.
    case invalidUTF8
    /// A `partner_left` reason that is not an ``EndReason``.
    case unknownReason(String)
    /// A typing flag other than 0 or 1.
    case invalidFlag(UInt8)
    /// A relayed text longer than ``NodeMailCodec/Limits/maxTextBytes``.
    case textTooLong(Int, limit: Int)
    /// More mails in one payload than ``NodeMailCodec/Limits/maxMails``.
    case tooManyMails(limit: Int)
    /// A payload holding no mail at all.
    case empty

    package var description: String {
        switch self {
        case .unsupportedVersion(let version): "node mail version \(version) is not supported"
        case .truncated: "node mail ends inside a field"
        case .unknownKind(let kind): "unknown node mail kind \(kind)"
        case .invalidUTF8: "node mail string is not UTF-8"
        case .unknownReason(let reason): "unknown end reason '\(reason)'"
        case .invalidFlag(let flag): "typing flag \(flag) is neither 0 nor 1"
        case .textTooLong(let length, let limit): "relayed text of \(length) bytes is over \(limit)"
        case .tooManyMails(let limit): "more than \(limit) mails in one payload"
        case .empty: "node mail payload holds no mail"
        }
    }
}
