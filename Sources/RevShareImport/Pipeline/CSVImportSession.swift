import RevShareCore

/// What every CSV import shares (SPEC §3, §9): opening the input, hashing its exact bytes while
/// they stream, matching the header, walking the records and collecting errors as values.
final class CSVImportSession {
    struct Columns {
        let required: [String]
        let optional: [String]
    }

    let file: InputFile
    private(set) var errors = InputErrorList()
    private(set) var unknownColumns: [String] = []
    private(set) var record = CSVRecord()
    private(set) var dataRows = 0
    /// Field index per column name of `Columns` found in the header. A short array searched
    /// linearly: the names fit Swift's inline small strings, so a lookup is a few 16-byte
    /// compares, far cheaper per row than hashing a dictionary key.
    private var indices: [(name: String, index: Int)] = []
    private var reader: CSVReader<ObservedByteSource<FileByteSource>>
    private let digest: DigestSink
    private var headerCount = 0
    private var finished = false
    /// The header or a record could not be read: nothing after it was read, and the input is
    /// refused without reading on (an endless or huge input is not read to its end).
    private(set) var stoppedByError = false

    init(_ file: InputFile, columns: Columns) throws {
        self.file = file
        let digest = DigestSink()
        self.digest = digest
        reader = CSVReader(source: ObservedByteSource(try file.open()) { digest.sha.update($0) })
        readHeader(columns)
    }

    var bytesRead: Int { reader.bytesRead }

    private func readHeader(_ columns: Columns) {
        var header = CSVRecord()
        let found: Bool
        do {
            found = try reader.next(into: &header)
        } catch {
            add(error)
            finished = true
            stoppedByError = true
            return
        }
        let names = found ? CSVHeader(header) : CSVHeader(line: 1, names: [])
        headerCount = names.count
        // A known column twice is ambiguous; an unknown one twice is ignored like any unknown column.
        let known = Set(columns.required + columns.optional)
        for duplicate in names.duplicates where known.contains(CSVHeader.key(duplicate.name)) {
            self.error(line: names.line, column: duplicate.name, duplicate.message)
        }
        for name in columns.required + columns.optional {
            if let index = names.index(of: name) { indices.append((name, index)) }
        }
        for name in columns.required where index(name) == nil {
            error(line: names.line, column: name, "required column is missing")
        }
        unknownColumns = names.unknownColumns(known: columns.required + columns.optional)
        if !errors.isEmpty {
            finished = true
            stoppedByError = true
        }
    }

    /// Advances to the next well-formed data record; false at the end or after a syntax error.
    /// A record with the wrong number of fields is an error and is skipped.
    func nextRecord() -> Bool {
        while !finished {
            do {
                guard try reader.next(into: &record) else {
                    finished = true
                    return false
                }
            } catch {
                add(error)
                finished = true
                stoppedByError = true
                return false
            }
            dataRows += 1
            if record.fieldCount == headerCount { return true }
            self.error(column: "record", "has \(record.fieldCount) field\(record.fieldCount == 1 ? "" : "s") but the header has \(headerCount)")
        }
        return false
    }

    var line: Int { record.line }

    func index(_ column: String) -> Int? {
        for entry in indices where entry.name == column { return entry.index }
        return nil
    }

    /// Calls `body` with the bytes of `column` in the current record (empty when absent).
    func withField<R>(_ column: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let index = index(column) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try record.withFieldBytes(index, body)
    }

    /// Parses `column` with `rule`, recording its message as an error on this line when it fails.
    func parse<T>(_ column: String, _ rule: (UnsafeRawBufferPointer) -> Result<T, FieldProblem>) -> T? {
        switch withField(column, rule) {
        case .success(let value): return value
        case .failure(let problem):
            error(column: column, problem.message)
            return nil
        }
    }

    func error(line: Int? = nil, column: String, _ message: String) {
        errors.add(InputError(file: file.displayName, line: line ?? record.line, column: column, message: message))
    }

    /// An error about a whole report or the file: `FILE: column: message`.
    func fileError(column: String, _ message: String) {
        errors.add(InputError(file: file.displayName, line: nil, column: column, message: message))
    }

    private func add(_ error: CSVError) {
        errors.add(InputError(file: file.displayName, line: error.line, column: "csv", message: error.message))
    }

    /// The SHA-256 of every byte read: the whole input once `nextRecord()` returned false
    /// without `stoppedByError`.
    func contentSHA256() -> String {
        precondition(!stoppedByError, "the hash of an input whose reading stopped at an error")
        return digest.sha.finalizeHex()
    }
}

private final class DigestSink {
    var sha = StreamingSHA256()
}
