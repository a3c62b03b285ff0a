import RevShareCore

/// An input named on the command line: a path, or `-` for standard input (shown as `<stdin>`).
public struct InputFile: Sendable, Equatable {
    /// The name used in every message: the path as given, or `<stdin>`.
    public let displayName: String
    let path: String?

    public init(argument: String) {
        if argument == "-" {
            displayName = "<stdin>"
            path = nil
        } else {
            displayName = argument
            path = argument
        }
    }

    public var isStandardInput: Bool { path == nil }

    func open() throws -> FileByteSource {
        guard let path else { return FileByteSource.standardInput() }
        do {
            return try FileByteSource(path: path)
        } catch {
            switch error.kind {
            case .notFound: throw Refusal(.notFound, "\(displayName): no such file")
            case .isDirectory: throw Refusal(.notFound, "\(displayName): is a directory, not a file")
            case .permissionDenied: throw Refusal(.notFound, "\(displayName): cannot be read (permission denied)")
            case .other: throw Refusal(.notFound, error.description)
            }
        }
    }

    /// The whole content, for small inputs such as agreements (at most `limit` bytes).
    public func readAll(limit: Int) throws -> [UInt8] {
        let source = try open()
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > limit {
                throw Refusal(.invalidInput, "\(displayName): is larger than \(limit) bytes, the most revshare reads for this kind of file")
            }
        }
    }
}
