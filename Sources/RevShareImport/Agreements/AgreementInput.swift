import RevShareCore

/// Reads a whole agreements file, or standard input for `-`, refusing more than `limit` bytes
/// without reading further.
public enum AgreementInput {
    /// The bytes and the name messages use: the path as given, or `<stdin>` for `-`.
    public static func read(_ path: String, limit: Int = AgreementsParser.maxFileBytes) throws -> (bytes: [UInt8], fileName: String) {
        let source: FileByteSource
        if path == "-" {
            source = FileByteSource.standardInput()
        } else {
            do {
                source = try FileByteSource(path: path)
            } catch {
                throw Refusal(.notFound, notFoundMessage(error))
            }
        }
        defer { source.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            } catch let error as FileSourceError {
                throw Refusal(.notFound, notFoundMessage(error))
            } catch {
                throw Refusal(.notFound, "\(source.path): cannot be read: \(error)")
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            if bytes.count > limit {
                throw Refusal(.invalidInput, "\(source.path): the file is larger than the \(limit) bytes (10 MiB) an agreements file may have; nothing was changed")
            }
        }
        return (bytes, source.path)
    }

    private static func notFoundMessage(_ error: FileSourceError) -> String {
        switch error.kind {
        case .notFound: "\(error.path): no such file; give the path of an agreements YAML file, or - for standard input"
        case .isDirectory: "\(error.path): is a directory, not an agreements file"
        case .permissionDenied: "\(error.path): cannot be read (permission denied)"
        case .other: "\(error.description)"
        }
    }
}
