import Engines
import FuzzSupport

/// Fuzzes the script engine's trigger compiler and matcher: the input's first line is a
/// trigger, the rest a message. Any trigger compiles or fails with a located error, and a
/// compiled trigger is matched against the message; a match never comes after the step budget ran out.
@main
enum TriggerFuzz {
    static func main() { FuzzDriver.run(testOneInput) }

    static let parser = PatternParser(arrays: [
        "colors": ["red", "light blue"], "greetings": ["hi", "hello"],
    ])
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzDriver.bytes(data, size), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let trigger = String(parts[0])
    let message = parts.count > 1 ? String(parts[1]) : ""
    do {
        let pattern = try TriggerFuzz.parser.parse(trigger)
        let words = InputNormalizer().words(message)
        let (match, steps) = PatternMatcher.matchCounting(pattern, words, maxSteps: 2_000)
        fuzzRequire(
            match == nil || steps <= 2_000, "a match reported after \(steps) steps, over the budget of 2,000")
    } catch {
        fuzzRequire(
            !error.message.isEmpty && (0...trigger.count).contains(error.offset),
            "refusal '\(error.message)' at offset \(error.offset) of '\(trigger)'")
    }
    return 0
}
