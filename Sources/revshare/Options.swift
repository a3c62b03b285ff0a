import ArgumentParser
import Foundation
import RevShareCore
import RevShareStore

struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $REVSHARE_DB, else ./revshare.sqlite).")
    var db: String?

    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["REVSHARE_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "revshare.sqlite"
    }

    /// How long a writer waits for another process's write lock: `$REVSHARE_BUSY_TIMEOUT_SECONDS`
    /// (whole seconds, 0…3600), else 30 s.
    var busyTimeoutSeconds: Double {
        guard let text = ProcessInfo.processInfo.environment["REVSHARE_BUSY_TIMEOUT_SECONDS"],
              let seconds = Int(text), (0...3600).contains(seconds) else { return Store.defaultBusyTimeoutSeconds }
        return Double(seconds)
    }

    func openStore(create: Bool = false) throws -> Store {
        try Store.open(path: path, create: create, busyTimeoutSeconds: busyTimeoutSeconds)
    }

    /// For commands that only read: never waits for another process's write lock.
    func openStoreForReading() throws -> Store {
        try Store.open(path: path, readOnly: true, busyTimeoutSeconds: busyTimeoutSeconds)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv, html
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text or json (statements also csv and html).")
    var format: OutputFormat = .text

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    init() {}

    init(format: OutputFormat, output: String?) {
        self.format = format
        self.output = output
    }

    func validate(allowing formats: [OutputFormat]) throws {
        guard formats.contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not available here; use one of: \(formats.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func emit(_ text: String) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw Refusal(.databaseIO, "\(output): could not write the output file: \(error.localizedDescription)")
        }
    }
}

/// Output written piece by piece, so a large export never sits in memory whole. A file is
/// written beside its final name and renamed into place at the end: all of it or none.
final class StreamingOutput {
    private let handle: FileHandle
    private let path: String?
    private let temporary: String?
    private var buffer = Data()

    init(path: String?) throws {
        self.path = path
        guard let path else {
            handle = FileHandle.standardOutput
            temporary = nil
            return
        }
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw Refusal(.databaseIO, "\(path): cannot write the output file here")
        }
        self.handle = handle
        self.temporary = temporary
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        flush()
        guard let path, let temporary else { return }
        try? handle.close()
        // rename(2) replaces the old file atomically: a reader sees the old or the new, whole.
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw Refusal(.databaseIO, "\(path): could not write the output file: \(reason)")
        }
    }
}

extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Period: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

enum Today {
    static var utc: CivilDate { CivilDate(String(UTCClock.system.now().prefix(10)))! }
}

enum GlobalArguments {
    /// `revshare --db PATH COMMAND …` is documented; ArgumentParser reads a subcommand's own
    /// options only after its name, so a leading `--db PATH` is moved to the end.
    static func movingDatabaseOptionAfterCommand(_ arguments: [String]) -> [String] {
        guard let first = arguments.first else { return arguments }
        if first == "--db", arguments.count >= 2 {
            return Array(arguments.dropFirst(2)) + ["--db", arguments[1]]
        }
        if first.hasPrefix("--db=") {
            return Array(arguments.dropFirst()) + [first]
        }
        return arguments
    }
}

enum ExitStatus {
    static func code(for category: FailureCategory) -> Int32 {
        switch category {
        case .usage: 64
        case .invalidInput: 65
        case .notFound: 66
        case .internalError: 70
        case .databaseIO: 74
        }
    }
}

enum Diagnostics {
    static func report(_ failure: RevShareFailure) {
        for line in failure.diagnostics { printError(line) }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
