/// One message of a labelled set, as `persona scrub --score` reads it: the text, the spans a
/// person marked as sensitive, and optional decoys (spans that look sensitive but are not).
///
/// Offsets are Unicode code points (scalars) into `text`, half-open, like ``PIIEntity``.
public struct LabelledMessage: Hashable, Sendable {
    /// A labelled span. `type` is kept as written (after ``PIIScorecard/canonicalType(_:)``)
    /// so a set may use types the scrubber does not know; those can only be missed.
    public struct Span: Hashable, Sendable {
        /// The type name, canonicalised.
        public var type: String
        /// First scalar.
        public var start: Int
        /// One past the last scalar.
        public var end: Int

        /// Creates a span.
        public init(type: String, start: Int, end: Int) {
            self.type = type
            self.start = start
            self.end = end
        }
    }

    /// An identifier for reports (the `id` of the JSON line, rendered as text).
    public var id: String
    /// The message.
    public var text: String
    /// What must be found.
    public var entities: [Span]
    /// What must not be found (only reported; every finding outside `entities` is a false alarm).
    public var decoys: [Span]

    /// Creates a labelled message.
    public init(id: String, text: String, entities: [Span], decoys: [Span] = []) {
        self.id = id
        self.text = text
        self.entities = entities
        self.decoys = decoys
    }
}
