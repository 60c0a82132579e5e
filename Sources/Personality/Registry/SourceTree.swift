import Diagnostics
import Foundation

/// Reads the files a registry is built from: every `*.yaml` / `*.yml` below the given
/// directories (subfolders included, hidden files and folders skipped, in sorted order so
/// reports are stable), plus files named directly.
///
/// The thin I/O shell around the pure ``RegistryBuilder``. Sizes are checked before a file is
/// read, so an oversized file costs nothing.
public struct SourceTree: Sendable {
    /// Limits on what is read.
    public struct Configuration: Hashable, Sendable {
        /// Most files read from all paths together (`max_files`). Default 10,000.
        public var maxFiles: Int
        /// Largest file read, in bytes (`max_document_bytes`, shared with the YAML limits). Default 1 MiB.
        public var maxFileBytes: Int

        /// Creates a configuration with the documented defaults.
        public init(maxFiles: Int = 10_000, maxFileBytes: Int = 1 << 20) {
            self.maxFiles = maxFiles
            self.maxFileBytes = maxFileBytes
        }
    }

    /// The limits in force.
    public var configuration: Configuration

    /// Creates a reader.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Reads every file under `paths`; problems (missing paths, unreadable or oversized files,
    /// too many files) come back as diagnostics beside the files that could be read.
    public func read(_ paths: [String]) -> (files: [SourceFile], diagnostics: [Diagnostic]) {
        var names: [String] = []
        var diagnostics: [Diagnostic] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(.error("no-such-path", at: nil, "\(path): no such file or directory"))
                continue
            }
            if !isDirectory.boolValue {
                names.append(path)
                continue
            }
            guard let enumerator = manager.enumerator(atPath: path) else {
                diagnostics.append(.error("unreadable", at: nil, "\(path): cannot list the directory"))
                continue
            }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let components = relative.split(separator: "/")
                if components.contains(where: { $0.hasPrefix(".") }) {
                    if components.last?.hasPrefix(".") == true { enumerator.skipDescendants() }
                    continue
                }
                guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
                found.append(path.hasSuffix("/") ? path + relative : path + "/" + relative)
            }
            names.append(contentsOf: found.sorted())
        }
        if names.count > configuration.maxFiles {
            diagnostics.append(
                .error("too-many-files", at: nil, "found \(names.count) files, more than the limit of \(configuration.maxFiles) (max_files); only the first \(configuration.maxFiles) were read"))
            names = Array(names.prefix(configuration.maxFiles))
        }
        var files: [SourceFile] = []
        for name in names {
            let location = SourceLocation(file: name, line: 1, column: 1)
            if let size = (try? manager.attributesOfItem(atPath: name))?[.size] as? Int, size > configuration.maxFileBytes {
                diagnostics.append(
                    .error("yaml-limit", at: location, "file is larger than \(configuration.maxFileBytes) bytes (limit max_document_bytes)"))
                continue
            }
            guard let data = manager.contents(atPath: name) else {
                diagnostics.append(.error("unreadable", at: location, "cannot read the file"))
                continue
            }
            files.append(SourceFile(name: name, bytes: Array(data)))
        }
        return (files, diagnostics)
    }
}
