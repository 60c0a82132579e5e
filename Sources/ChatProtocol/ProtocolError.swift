/// A client frame the server refused to decode, with everything the `error` frame needs.
///
/// Decoding names the offending member in ``field`` and keeps whatever correlation it could
/// read before failing — the client message ``ref`` (`id`) and the ``session`` — so the client
/// can match the error to what it sent.
public struct ProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error code sent to the client.
    public var code: ErrorCode
    /// The member at fault (`text`, `tags[2]`), when there is one.
    public var field: String?
    /// A sentence for the client developer.
    public var message: String
    /// The client message id (`id`) of the refused frame, when it could be read.
    public var ref: String?
    /// The session the refused frame named, when it could be read.
    public var session: String?

    /// Creates an error.
    public init(
        _ code: ErrorCode, field: String? = nil, _ message: String, ref: String? = nil, session: String? = nil
    ) {
        self.code = code
        self.field = field
        self.message = message
        self.ref = ref
        self.session = session
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }

    /// The `error` frame that reports this error.
    public var serverMessage: ServerMessage {
        .error(ErrorReport(code: code, message: message, ref: ref, session: session))
    }
}
