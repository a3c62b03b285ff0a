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
    /// (whole seconds, 0…3600), else 30 s. Any other value is refused, never replaced silently.
    func busyTimeoutSeconds() throws -> Double {
        guard let text = ProcessInfo.processInfo.environment["REVSHARE_BUSY_TIMEOUT_SECONDS"] else {
            return Store.defaultBusyTimeoutSeconds
        }
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let seconds = Int(text), (0...3600).contains(seconds) else {
            throw Refusal(.usage, "REVSHARE_BUSY_TIMEOUT_SECONDS=\"\(TerminalText.escaped(text))\": give whole seconds from 0 to 3600")
        }
        return Double(seconds)
    }

    func openStore(create: Bool = false) throws -> Store {
        try Store.open(path: path, create: create, busyTimeoutSeconds: busyTimeoutSeconds())
    }

    /// For commands that only read: never waits for another process's write lock.
    func openStoreForReading() throws -> Store {
        try Store.open(path: path, readOnly: true, busyTimeoutSeconds: busyTimeoutSeconds())
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

    func validate(allowing formats: [OutputFormat]) throws {
        guard formats.contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not available here; use one of: \(formats.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// Where `--output` sends the report, checked before any work is done: never over the
    /// database in use.
    func target(_ database: DatabaseOptions) throws -> OutputTarget {
        try OutputTarget(output, database: database.path)
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

    /// The word in command position when it names no command: ArgumentParser would blame
    /// whatever option follows it instead.
    static func unknownCommand(_ arguments: [String], known: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), first != "help", !known.contains(first) else { return nil }
        return first
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
        Console.err(line + "\n")
    }
}
