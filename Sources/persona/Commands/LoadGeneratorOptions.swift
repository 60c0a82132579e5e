import CLI
import Foundation
import Reactor

/// What every load generator (`bench echo`, `bench chat`) and client (`chat`) shares: the
/// endpoint to reach and the options that shape the generator itself, declared once so they
/// read and validate the same everywhere.
enum LoadGeneratorOptions {
    /// `--loops`, `--source-addresses`, `--server-pid` and `--json`; `unit` names what is
    /// spread over source addresses ("connections", "sessions").
    static func shared(unit: String, serverReport: String) -> [Option] {
        [
            .option(
                "loops", type: .int(1...64), default: "1", help: "Event loop threads of the load generator."),
            .option(
                "source-addresses", type: .int(1...200),
                help: "Loopback source addresses to spread \(unit) over (default: one per 10,000 \(unit))."),
            .option("server-pid", type: .int(1...Int(Int32.max)), help: serverReport),
            .flag("json", help: "Print the summary as one JSON object."),
        ]
    }

    /// The `--url` value as an address to connect to, or a usage error naming `example`.
    static func target(_ values: ParsedValues, example: String) throws -> WebSocketTarget {
        let url = try values.string("url")
        guard let target = WebSocketTarget(url.replacingOccurrences(of: "://localhost:", with: "://127.0.0.1:")) else {
            throw UsageError.invalid("--url must look like \(example) (a numeric host), got '\(url)'")
        }
        return target
    }
}
