import Diagnostics
import Synchronization

/// The live registry: holds the current ``RegistrySnapshot`` and swaps it atomically.
///
/// Readers on any thread call ``current`` and get one whole snapshot, which they may keep
/// for as long as they like (a session keeps the one it started on). A reload builds the
/// next snapshot aside; only a build without errors replaces the current one.
public final class Registry: Sendable {
    private let state: Mutex<RegistrySnapshot>

    /// Creates a registry serving `snapshot`.
    public init(_ snapshot: RegistrySnapshot = .empty) {
        self.state = Mutex(snapshot)
    }

    /// The snapshot in force now.
    public var current: RegistrySnapshot {
        state.withLock { $0 }
    }

    /// Replaces the snapshot, returning the one it replaced.
    @discardableResult
    public func replace(with snapshot: RegistrySnapshot) -> RegistrySnapshot {
        state.withLock { current in
            let old = current
            current = snapshot
            return old
        }
    }

    /// What a reload did.
    public enum ReloadOutcome: Sendable {
        /// The new snapshot is in force; warnings may still have been reported.
        case replaced(old: RegistrySnapshot, new: RegistrySnapshot, warnings: [Diagnostic])
        /// The build had errors; the current snapshot stays, and here is every diagnostic.
        case rejected(diagnostics: [Diagnostic])
    }

    /// Swaps in `result`'s snapshot if the build succeeded; otherwise keeps the current one.
    public func apply(_ result: RegistryBuilder.Result) -> ReloadOutcome {
        guard let snapshot = result.snapshot else { return .rejected(diagnostics: result.diagnostics) }
        let old = replace(with: snapshot)
        return .replaced(old: old, new: snapshot, warnings: result.diagnostics)
    }
}
