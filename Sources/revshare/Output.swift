import Foundation
import RevShareCore

/// Standard output and standard error, written with write(2): a write that fails (a full disk
/// behind `> /dev/full`, a closed descriptor) is an error with one line and exit 74, never a
/// crash, and never a silent exit 0.
enum Console {
    /// Writes `text` to standard output. `committed` says what was already done when the
    /// text cannot be written, so the user knows the data is safe.
    static func out(_ text: String, committed: String? = nil) throws {
        guard let failure = write(STDOUT_FILENO, TerminalText.screened(text)) else { return }
        let done = committed.map { " (\($0))" } ?? ""
        throw Refusal(.databaseIO, "standard output: could not write: \(failure)\(done)")
    }

    /// Writes `text` and a line break to standard output.
    static func line(_ text: String = "") throws {
        try out(text + "\n")
    }

    /// Writes `text` to standard error, as best it can: there is nowhere left to complain.
    static func err(_ text: String) {
        _ = write(STDERR_FILENO, TerminalText.screened(text))
    }

    /// The reason a write failed, or nil when every byte was written.
    static func write(_ descriptor: Int32, _ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes in writeAll(descriptor, UnsafeRawBufferPointer(bytes)) }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> String? {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            offset += n
        }
        return nil
    }

    /// A standard descriptor that is closed when revshare starts is filled with one that
    /// refuses its direction (reading for 1 and 2, writing for 0): writes to it fail with an
    /// error instead of landing in whatever file the process opens next on that number.
    static func guardStandardDescriptors() {
        for (descriptor, flags) in [(STDIN_FILENO, O_WRONLY), (STDOUT_FILENO, O_RDONLY), (STDERR_FILENO, O_RDONLY)]
        where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", flags)
            if opened >= 0 && opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }
}

/// Where `--output` sends a report, checked before anything is rendered or written.
///
/// - none or `-`: standard output;
/// - a regular file (new or existing): written beside it and renamed into place, so a reader
///   sees the old content or the new, whole; an existing file keeps its permission bits (a hard
///   link to it keeps the old content, as with any editor that saves atomically);
/// - a character device, FIFO or socket: written in place, never replaced by a file;
/// - refused (exit 64, nothing written): an empty path, a directory, the open database or its
///   `-wal`, `-shm` and `-journal` files, and any other SQLite database.
struct OutputTarget {
    enum Kind {
        case standardOutput
        case regularFile(mode: mode_t?)
        case inPlace
    }

    let path: String?
    let kind: Kind

    init(_ argument: String?, database: String) throws {
        guard let argument, argument != "-" else {
            path = nil
            kind = .standardOutput
            return
        }
        guard !argument.isEmpty else { throw Refusal(.usage, "--output: the path is empty; give a file name, or - for standard output") }
        path = argument
        kind = try Self.kind(of: argument, database: database)
    }

    private static func kind(of path: String, database: String) throws -> Kind {
        let shown = TerminalText.escaped(path)
        if DatabaseFiles(database).names(path) {
            throw Refusal(.usage, "\(shown): is the database revshare is using (or one of its files); choose another output file")
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return .regularFile(mode: nil) }
            throw Refusal(.databaseIO, "\(shown): cannot write the output file: \(String(cString: strerror(errno)))")
        }
        if DatabaseFiles(database).contains(info) {
            throw Refusal(.usage, "\(shown): is the database revshare is using (or one of its files); choose another output file")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw Refusal(.usage, "\(shown): is a directory; --output takes a file name")
        case S_IFCHR, S_IFIFO, S_IFSOCK:
            return .inPlace
        case S_IFREG:
            if isSQLiteDatabase(path) {
                throw Refusal(.usage, "\(shown): is an SQLite database; revshare never writes a report over one")
            }
            return .regularFile(mode: info.st_mode & 0o7777)
        default:
            throw Refusal(.usage, "\(shown): is neither a file nor a device; --output takes a file name")
        }
    }

    private static func isSQLiteDatabase(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 16)).map { Array($0) == Array("SQLite format 3\0".utf8) } ?? false
    }

    /// Writes the whole of `text` to the target; a text meant for a person (`screen`) is
    /// screened of control and format characters first, machine formats are written as made.
    func write(_ text: String, screen: Bool) throws {
        let sink = try OutputSink(self)
        sink.write(screen ? TerminalText.screened(text) : text)
        try sink.finish()
    }
}

/// The database file and the files SQLite keeps beside it, by name and by identity (a hard
/// link or another spelling of the path is the same file).
struct DatabaseFiles {
    let paths: [String]

    init(_ database: String) {
        paths = ["", "-wal", "-shm", "-journal"].map { database + $0 }
    }

    func names(_ path: String) -> Bool {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        return paths.contains { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path == target }
    }

    func contains(_ info: stat) -> Bool {
        paths.contains { path in
            var other = stat()
            return stat(path, &other) == 0 && other.st_dev == info.st_dev && other.st_ino == info.st_ino
        }
    }
}

/// Output written piece by piece, so a large export never sits in memory whole. A regular file
/// is written beside its final name and renamed into place at the end: all of it or none.
final class OutputSink {
    private let target: OutputTarget
    private let descriptor: Int32
    private let temporary: String?
    private var buffer: [UInt8] = []
    private var failure: String?

    init(_ target: OutputTarget) throws {
        self.target = target
        switch target.kind {
        case .standardOutput:
            descriptor = STDOUT_FILENO
            temporary = nil
        case .inPlace:
            descriptor = open(target.path!, O_WRONLY | O_CLOEXEC)
            temporary = nil
            if descriptor < 0 { throw Self.cannotWrite(target, String(cString: strerror(errno))) }
        case .regularFile(let mode):
            let temporary = target.path! + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o644)
            if descriptor < 0 { throw Self.cannotWrite(target, String(cString: strerror(errno))) }
            if let mode { fchmod(descriptor, mode) }
            self.temporary = temporary
        }
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        if failure == nil {
            failure = buffer.withUnsafeBytes { Console.writeAll(descriptor, $0) }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file; a regular file is not yet in place.
    func complete() throws {
        flush()
        if case .standardOutput = target.kind {
            if let failure { throw Refusal(.databaseIO, "standard output: could not write: \(failure)") }
            return
        }
        if failure == nil && temporary != nil && fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        if close(descriptor) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
        if let failure {
            discard()
            throw Self.cannotWrite(target, failure)
        }
    }

    /// Renames a completed regular file into place: rename(2) replaces the old file
    /// atomically, so a reader sees the old content or the new, whole.
    func commit() throws {
        guard let temporary else { return }
        if rename(temporary, target.path!) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw Self.cannotWrite(target, reason)
        }
    }

    /// Removes the file written beside the final name, if any.
    func discard() {
        if let temporary { unlink(temporary) }
    }

    func finish() throws {
        try complete()
        try commit()
    }

    private static func cannotWrite(_ target: OutputTarget, _ reason: String) -> Refusal {
        Refusal(.databaseIO, "\(TerminalText.escaped(target.path ?? "-")): could not write the output file: \(reason); nothing was written")
    }
}

/// Files written together into one directory: all of them or none. Each is written beside its
/// final name first; only when every one is complete are they renamed into place.
struct OutputBatch {
    static func write(_ files: [(name: String, text: String)], into directory: String, database: String) throws {
        let shown = TerminalText.escaped(directory)
        guard !directory.isEmpty else { throw Refusal(.usage, "--output-dir: the path is empty") }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Refusal(.databaseIO, "\(shown): cannot create the directory (\(String(describing: (error as NSError).userInfo[NSUnderlyingErrorKey] ?? error.localizedDescription)))")
        }
        let targets = try files.map { try OutputTarget("\(directory)/\($0.name)", database: database) }
        var sinks: [OutputSink] = []
        do {
            for (target, file) in zip(targets, files) {
                guard case .regularFile = target.kind else {
                    throw Refusal(.usage, "\(TerminalText.escaped(target.path!)): is not a regular file; remove it or choose another directory")
                }
                let sink = try OutputSink(target)
                sinks.append(sink)
                sink.write(file.text)
                try sink.complete()
            }
        } catch {
            for sink in sinks { sink.discard() }
            throw error
        }
        // Renaming within one directory does not fail for want of space: once every file is
        // complete, all of them are put in place.
        for sink in sinks { try sink.commit() }
    }
}
