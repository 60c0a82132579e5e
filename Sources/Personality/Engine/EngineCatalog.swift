/// The engines a loader knows about, by name. The executable builds one with every built-in
/// engine; tests build smaller ones.
public struct EngineCatalog: Sendable {
    /// Decoders by engine name.
    public private(set) var decoders: [String: any EngineSectionDecoder] = [:]

    /// Creates a catalog from decoders; a later decoder with the same name replaces an earlier one.
    public init(_ decoders: [any EngineSectionDecoder] = []) {
        for decoder in decoders { self.decoders[decoder.engineName] = decoder }
    }

    /// The engine names, sorted, for error messages and the schema.
    public var names: [String] { decoders.keys.sorted() }

    /// The decoder for `name`, if any engine provides it.
    public subscript(name: String) -> (any EngineSectionDecoder)? { decoders[name] }
}
