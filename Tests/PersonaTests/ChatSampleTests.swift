import Foundation
import PersonaTestSupport
import Testing

/// Whether `node` is on the PATH (CI installs `nodejs` with apt).
private let nodeAvailable: Bool = {
    guard let result = try? ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["node", "--version"])
    else { return false }
    return result.status == 0
}()

/// The samples under `Samples/` run against a live server, so they cannot rot.
@Suite("Samples/ against a live server")
struct ChatSampleTests {
    @Test(
        "the Python sample prints the greeting and the streamed reply",
        .enabled(if: chatPythonAvailable, "python3 'websockets' is not installed"))
    func python() throws {
        let server = try ServeProcess(["--personalities", chatFixtures])
        let script = PersonaBinary.packageRoot.appendingPathComponent("Samples/python/chat.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script.path, "ws://127.0.0.1:\(server.port)/v1/ws", "parrot", "i am sam"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Parrot: Squawk, hello!\nParrot: hello sam\n")
    }

    /// Chosen over headless Chromium: the page's only logic is `chat.js`'s `PersonaChat`, which
    /// is transport-free, so Node runs the very module the page imports; Node is a small apt
    /// package and starts in milliseconds, where a browser is a large download that is not on
    /// this machine and is flakier to drive in CI.
    @Test(
        "the browser sample's chat.js talks the protocol (run under Node)",
        .enabled(if: nodeAvailable, "node is not installed (apt-get install nodejs)"))
    func browserScript() throws {
        let server = try ServeProcess(["--personalities", chatFixtures])
        let script = PersonaBinary.packageRoot.appendingPathComponent("Samples/browser/check-with-node.mjs")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["node", script.path, "ws://127.0.0.1:\(server.port)/v1/ws", "parrot", "i am js"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout
                == "Parrot: Squawk, hello!\n[hello][ ][js]\nhello js (stop)\nended user\nclosed 1000\nok\n")
    }

    @Test("the browser page loads chat.js as a module and wires every callback it defines")
    func browserPage() throws {
        let root = PersonaBinary.packageRoot.appendingPathComponent("Samples/browser")
        let page = try String(contentsOf: root.appendingPathComponent("chat.html"), encoding: .utf8)
        let module = try String(contentsOf: root.appendingPathComponent("chat.js"), encoding: .utf8)
        #expect(page.contains(#"import { connect } from "./chat.js";"#))
        #expect(module.contains("export function connect("))
        for callback in [
            "matching", "started", "token", "reply", "partner", "typing", "ended", "error", "closed",
        ] {
            #expect(page.contains("\(callback): ("), "chat.html does not handle \(callback)")
            #expect(module.contains("on.\(callback)?.("), "chat.js never calls \(callback)")
        }
    }
}
