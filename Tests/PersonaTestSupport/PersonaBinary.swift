import Foundation

/// Locates the built `persona` executable next to the test bundle, so end-to-end tests run
/// the real binary the way a user does.
public enum PersonaBinary {
    /// The directory SwiftPM builds products into (`.build/debug` or `.build/release`).
    public static var productsDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.pathComponents.count > 1 {
            if url.pathExtension == "xctest" { return url.deletingLastPathComponent() }
            let candidate = url.deletingLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("persona").path) {
                return candidate
            }
            url = candidate
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
    }

    /// The `persona` executable.
    public static var url: URL { productsDirectory.appendingPathComponent("persona") }

    /// The package root (the directory holding `Package.swift`), found by walking up from this file.
    public static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url = url.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}
