import HTTP1

/// Everything a parser produced for an input: events (adjacent body pieces merged, since their
/// boundaries depend on how bytes arrived) and the error that stopped it, if any.
struct ParseOutcome: Equatable, CustomStringConvertible {
    var events: [HTTP1ParserEvent] = []
    var error: HTTP1ParseError?

    /// Feeds `chunks` one after another into a fresh parser.
    init(chunks: [[UInt8]], configuration: HTTP1Parser.Configuration = .init()) {
        var parser = HTTP1Parser(configuration: configuration)
        var raw: [HTTP1ParserEvent] = []
        do {
            for chunk in chunks {
                try parser.feed(chunk, into: &raw)
                // Tests treat upgrades as declined so pipelined bytes keep flowing.
                while parser.isUpgradePending {
                    parser.declineUpgrade()
                    try parser.feed([], into: &raw)
                }
            }
        } catch {
            self.error = error
        }
        for event in raw {
            if case .body(let piece) = event, case .body(let previous)? = events.last {
                events[events.count - 1] = .body(previous + piece)
            } else {
                events.append(event)
            }
        }
    }

    /// Parses `text` in one piece.
    init(_ text: String, configuration: HTTP1Parser.Configuration = .init()) {
        self.init(chunks: [Array(text.utf8)], configuration: configuration)
    }

    /// The request heads in order.
    var heads: [HTTP1RequestHead] {
        events.compactMap { if case .head(let head) = $0 { head } else { nil } }
    }

    /// The body bytes of each request, in order (one entry per `.end`).
    var bodies: [String] {
        var result: [String] = []
        var current: [UInt8] = []
        for event in events {
            switch event {
            case .head: current = []
            case .body(let piece): current += piece
            case .end: result.append(String(decoding: current, as: UTF8.self))
            }
        }
        return result
    }

    var description: String { "events: \(events), error: \(String(describing: error))" }
}
