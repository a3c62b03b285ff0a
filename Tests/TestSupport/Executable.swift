import Foundation

/// What one run of the built `revshare` executable did.
public struct RunResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs the `revshare` executable built next to the test bundle.
public enum RevShareExecutable {
    public static let path: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for directory in candidates {
            for probe in [directory, directory.deletingLastPathComponent()] {
                let binary = probe.appendingPathComponent("revshare").path
                if FileManager.default.isExecutableFile(atPath: binary) { return binary }
            }
        }
        return URL(fileURLWithPath: repositoryRoot).appendingPathComponent(".build/debug/revshare").path
    }()

    /// Runs `revshare arguments…` in `directory`, with `REVSHARE_DB` unset unless given.
    public static func run(_ arguments: [String], in directory: String? = nil, stdin: Data? = nil,
                           environment: [String: String] = [:]) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "REVSHARE_DB")
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Drain both pipes concurrently so a large output cannot block the child.
        let collected = DrainedPipes(out: out, err: err)
        process.waitUntilExit()
        let (stdout, stderr) = collected.wait()
        return RunResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

private final class DrainedPipes: @unchecked Sendable {
    private var out = Data(), err = Data()
    private let group = DispatchGroup()

    init(out: Pipe, err: Pipe) {
        group.enter()
        DispatchQueue.global().async { self.out = out.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
        group.enter()
        DispatchQueue.global().async { self.err = err.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
    }

    func wait() -> (String, String) {
        group.wait()
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// Runs a POSIX shell script with `$REVSHARE` naming the built executable: for what a pipe
/// cannot show (a closed descriptor, `> /dev/full`, `< /dev/zero`). Bounded by `timeout`.
public func runShell(_ script: String, in directory: String, seconds: Int = 60) throws -> RunResult {
    try runTool("/usr/bin/timeout", [String(seconds), "/bin/sh", "-c", script], in: directory,
                environment: ["REVSHARE": RevShareExecutable.path])
}

/// Runs any program with its output collected (the sqlite3 CLI, sha256sum, hledger…).
public func runTool(_ executable: String, _ arguments: [String], in directory: String? = nil,
                    environment: [String: String] = [:]) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "REVSHARE_DB")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let collected = DrainedPipes(out: out, err: err)
    process.waitUntilExit()
    let (stdout, stderr) = collected.wait()
    return RunResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
}

/// The sqlite3 CLI on a database file: what the store holds, read behind revshare's back.
public func sqlite3(_ database: String, _ sql: String, readOnly: Bool = true) throws -> String {
    let result = try runTool("/usr/bin/sqlite3", (readOnly ? ["-readonly"] : []) + [database, sql])
    guard result.status == 0 else { throw SQLite3Failure(message: result.stderr) }
    return result.stdout
}

public struct SQLite3Failure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "sqlite3: \(message)" }
}

/// The lowercase hex SHA-256 of a file, computed independently with sha256sum.
public func sha256sum(_ path: String) throws -> String {
    String(try runTool("/usr/bin/sha256sum", [path]).stdout.prefix(64))
}
