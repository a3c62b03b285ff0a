import RevShareCore

/// A map as the command line names it (SPEC-intake §I2): a built-in's name when it contains
/// neither `/` nor `.`, otherwise a map file's path.
public struct LoadedMap: Sendable {
    public let map: UsageMap
    public let builtin: Bool
    /// The path as given; nil for a built-in.
    public let file: String?
    /// Of the built-in's text or of the map file's bytes.
    public let sha256: String

    public static func load(_ argument: String) throws -> LoadedMap {
        if argument == "-" { throw Refusal(.usage, "--map -: standard input is for the data file; give the map's name or path") }
        if !argument.contains("/") && !argument.contains(".") {
            guard let entry = BuiltinMaps.named(argument) else {
                throw Refusal(.invalidInput, "\(argument): no built-in map of that name; built-in maps: \(BuiltinMaps.all.map(\.name).joined(separator: ", "))")
            }
            let bytes = Array(entry.text.utf8)
            return LoadedMap(map: try UsageMapParser.parse(bytes, fileName: argument), builtin: true, file: nil, sha256: Self.sha256(bytes))
        }
        let bytes = try InputFile(argument: argument).readAll(limit: UsageMapParser.maxFileBytes)
        return LoadedMap(map: try UsageMapParser.parse(bytes, fileName: argument), builtin: false, file: argument, sha256: Self.sha256(bytes))
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        var sha = StreamingSHA256()
        bytes.withUnsafeBytes { sha.update($0) }
        return sha.finalizeHex()
    }
}

/// Reads a partner file through a map (SPEC-intake §I3 steps 1–7), writing nothing.
public enum UsageMapReader {
    /// The aggregated rows and counts with the file's SHA-256, or `InvalidInput` with every error.
    public static func read(_ file: InputFile, through map: UsageMap, partners: [Partner], merge: Bool = false,
                            progress: ((Int) -> Void)? = nil) throws -> (intake: MapIntake, sha256: String) {
        let engine = MapEngine(map: map, file: file, partners: partners, allowNegative: merge)
        let sha256 = try engine.read(bytesRead: progress)
        if let failure = engine.failure { throw failure }
        return (engine.intake, sha256)
    }
}
