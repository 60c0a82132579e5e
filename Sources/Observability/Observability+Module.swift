// Placeholder so the module builds before its first real file lands; delete it then.
enum ObservabilityModulePlaceholder {}
