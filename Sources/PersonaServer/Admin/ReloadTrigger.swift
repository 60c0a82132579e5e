/// What asked for a reload. All three run the same ``ReloadCoordinator/reload(trigger:dryRun:runTests:)``,
/// so they give identical results; the trigger only appears in the log line and the report.
public enum ReloadTrigger: String, Hashable, Sendable, CaseIterable {
    /// `POST /admin/reload` (what `persona reload` calls).
    case admin
    /// The process received SIGHUP.
    case sighup
    /// `persona serve --watch` saw the personality tree change.
    case watch
    /// Another node of the service reloaded (`serve --redis`); this node rebuilt from its own tree.
    case node
}
