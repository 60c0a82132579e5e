import FuzzSupport
import Redis

/// Fuzzes the RESP2/RESP3 parser with small limits: any bytes either parse or fail with a typed
/// error; whatever parses re-encodes to bytes that parse back to the same bytes; and feeding
/// the input in two pieces gives the same values as feeding it whole.
@main
enum RESPFuzz {
    static func main() { FuzzDriver.run(testOneInput) }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let configuration = RESPParser.Configuration(maxBulkBytes: 4096, maxAggregateCount: 256, maxDepth: 16, maxLineBytes: 1024)
    func values(_ chunks: [[UInt8]]) -> [RESPValue]? {
        var parser = RESPParser(configuration: configuration)
        var out: [RESPValue] = []
        for chunk in chunks {
            parser.append(chunk)
            do {
                while let value = try parser.next() { out.append(value) }
            } catch {
                return nil
            }
        }
        return out
    }
    let whole = values([bytes])
    let split = values([Array(bytes.prefix(size / 2)), Array(bytes.dropFirst(size / 2))])
    fuzzRequire(
        whole.map { $0.flatMap { RESPEncoder.encode($0) } } == split.map { $0.flatMap { RESPEncoder.encode($0) } },
        "whole and split inputs disagree")
    for value in whole ?? [] {
        let once = RESPEncoder.encode(value)
        let again = try? RESPParser.parseAll(once)
        fuzzRequire(again.map { $0.flatMap { RESPEncoder.encode($0) } } == once, "\(value) did not re-encode stably")
    }
    return 0
}
