import CFuzzDriver

#if canImport(Glibc)
    import Glibc
#endif

/// Starts libFuzzer for one fuzz target.
///
/// Each target is an executable whose `@main` calls ``run(_:)`` with its test function. With
/// `-sanitize=fuzzer` the toolchain links libFuzzer, whose own `main` may win the link instead
/// (it then calls the target's `LLVMFuzzerTestOneInput`); both routes run the same function
/// with the same flags, so which one the linker keeps does not matter.
public enum FuzzDriver {
    /// The shape libFuzzer calls: one input, borrowed for the call; returns 0.
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Hands the process to libFuzzer and exits with its status (non-zero after a crash).
    public static func run(_ testOneInput: TestOneInput) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }

    /// The input as an array (libFuzzer passes a null pointer for the empty input).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}

/// Stops the run with a message when a property of the parser under test does not hold, so
/// libFuzzer records the input as a crash (a wrong answer is as much a finding as a trap).
public func fuzzRequire(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property violated: \(message())") }
}

/// Splits `bytes` into pieces whose sizes come from the input itself (its first byte), so the
/// fuzzer explores arrival patterns as well as contents: incremental parsers must give the
/// same answer however the bytes arrive.
public func fuzzChunks(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    guard let first = bytes.first else { return [] }
    let step = Int(first % 7) + 1
    return stride(from: 0, to: bytes.count, by: step).map { bytes[$0..<min($0 + step, bytes.count)] }
}
