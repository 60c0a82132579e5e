import Foundation
import PersonaTestSupport
import Testing

/// Whether the strict third-party client is installed (`pip install websockets`). CI installs
/// it; locally the suite is skipped with that message instead of failing.
let pythonWebsocketsAvailable: Bool = {
    guard
        let result = try? ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import websockets"])
    else { return false }
    return result.status == 0
}()

@Suite("persona serve /v1/echo with Python websockets")
struct EchoPythonTests {
    @Test(
        "exchanges text, binary, fragmented and 16 MiB messages and closes cleanly",
        .enabled(
            if: pythonWebsocketsAvailable, "python3 'websockets' is not installed (pip install websockets)"))
    func strictClient() throws {
        let server = try ServeProcess()
        let script = PersonaBinary.packageRoot.appendingPathComponent(
            "Tests/PersonaTests/Python/echo_client.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script.path, "ws://127.0.0.1:\(server.port)/v1/echo"])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(
            result.stdout.split(separator: "\n") == [
                "ok text", "ok binary", "ok fragmented", "ok 16MiB", "ok ping", "ok close",
            ])
    }
}
