import Diagnostics
import Engines
import FuzzSupport
import Personality

/// Fuzzes a YAML document all the way through the loader: libyaml via the YAML module, the
/// personality decoder, the script engine's section (trigger and template compilers, lint) and
/// the registry's cross-file checks. Any document gives a registry or diagnostics, and every
/// diagnostic points inside the file.
@main
enum PersonalityYAMLFuzz {
    static func main() { FuzzDriver.run(testOneInput) }

    static let builder = RegistryBuilder(catalog: EngineRegistry.builtIn.catalog)
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    // libyaml ends a line at LF, CR or CRLF, so count both bytes: an upper bound of the lines.
    let lines = bytes.reduce(1) { $1 == 0x0A || $1 == 0x0D ? $0 + 1 : $0 }
    let result = PersonalityYAMLFuzz.builder.build([SourceFile(name: "fuzz.yaml", bytes: bytes)])
    for diagnostic in result.diagnostics {
        if let location = diagnostic.location {
            fuzzRequire(
                location.line >= 1 && location.line <= lines + 1 && location.column >= 1,
                "diagnostic outside the file (\(lines) lines): \(diagnostic)")
        }
    }
    return 0
}
