import Foundation
import PersonaTestSupport
import Testing

/// Whether Playwright for Python and Debian's chromium are installed (`.ci/run` installs both).
let browserAvailable =
    pythonCanImport("playwright.sync_api") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")

@Suite(
    "the chat page at /, in headless Chromium",
    .enabled(if: browserAvailable, "needs 'chromium' (apt) and 'playwright' (pip), installed by .ci/run"))
struct PageBrowserTests {
    @Test("loads without console errors; streams tokens into the DOM; resumes after a reload and a server restart; keyboard-only; two browsers matched with typing; a bot fallback; phone and desktop screenshots")
    func page() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("page-\(UUID().uuidString)")
        let artefacts = PersonaBinary.packageRoot.appendingPathComponent(".build/page-artefacts")
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let script = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/page_browser.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["timeout", "120", "python3", script.path, PersonaBinary.url.path, pageFixtures, data.path, artefacts.path])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }
        #expect(lines.count == 20, "\(result.stdout)")
        for name in ["page-desktop.png", "page-phone.png", "page-phone-dark.png"] {
            #expect(FileManager.default.fileExists(atPath: artefacts.appendingPathComponent(name).path))
        }
    }
}
