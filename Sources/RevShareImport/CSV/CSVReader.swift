/// A streaming RFC 4180 reader working on bytes.
///
/// It pulls fixed-size chunks (256 KiB by default) from a `ByteSource` and unescapes each record
/// into a caller-owned, reused `CSVRecord`, so memory stays flat whatever the input size (one chunk
/// plus at most one record, bounded by `CSVLimits`) and the steady state allocates nothing.
///
/// ```swift
/// var reader = CSVReader(source: try FileByteSource(path: path))
/// var record = CSVRecord()
/// while try reader.next(into: &record) {
///     // record.line, record.fieldCount, record.withFieldBytes(i) { … }
/// }
/// ```
///
/// The grammar:
/// - A UTF-8 byte order mark (EF BB BF) at the very start of the input is skipped (only there).
/// - Fields are separated by `,`. A field may be enclosed in `"`; inside, `""` stands for one `"`,
///   and `,`, CR and LF are literal content. A field is either quoted as a whole or not at all.
/// - Records end with LF or CR LF; the last record's line break is optional.
/// - A completely empty line (nothing between two line breaks, or a trailing line break at the end)
///   is skipped and is no record. A line holding anything else, even one space or `""`, is a
///   record (of one field).
/// - **A bare CR** (not followed by LF) outside quotes is an error, `.bareCarriageReturn`, rather
///   than a line break or content: files with classic-Mac line endings or a stray CR are refused
///   instead of being silently read as one long line or as fields ending in an invisible CR. Inside
///   quotes a CR is content like any other byte.
///
/// Line numbers are physical: LF ends a line (CR LF counts once; a CR inside quotes does not end
/// one). `CSVRecord.line` is the line where the record starts; the first record (the header) is on
/// line 1 unless empty lines precede it.
///
/// Errors are `CSVError` values carrying the record's start line. They are final: after an error,
/// `next(into:)` returns `false` without reading further.
///
/// Not copyable: it owns its buffers. Pass it `inout` or `consuming`.
public struct CSVReader<Source: ByteSource>: ~Copyable {
    internal var tokenizer: CSVTokenizer
    /// The source being read. Observe it (e.g. `ObservedByteSource.bytesConsumed`) between records.
    public private(set) var source: Source

    /// - Parameters:
    ///   - chunkSize: bytes requested per `read` (at least 1; tests use tiny sizes to move chunk
    ///     boundaries inside quotes, `""` pairs, CR LF pairs and the BOM).
    public init(source: Source, limits: CSVLimits = .default, chunkSize: Int = 256 * 1024) {
        self.tokenizer = CSVTokenizer(limits: limits, chunkSize: chunkSize)
        self.source = source
    }

    public var limits: CSVLimits { tokenizer.limits }

    /// Total bytes read from the source so far (a BOM included): for progress reporting.
    public var bytesRead: Int { tokenizer.bytesRead }

    /// Reads the next record into `record` (replacing its content, reusing its storage).
    /// Returns `false` at the end of input, and after an error.
    public mutating func next(into record: inout CSVRecord) throws(CSVError) -> Bool {
        try tokenizer.next(into: &record, source: &source)
    }

    /// Reads and discards whatever the source still holds, so that an observer of the source
    /// (e.g. a hash) has seen the whole input even after an error. No more records follow.
    public mutating func drainSource() throws(CSVError) {
        try tokenizer.drain(&source)
    }
}

/// The non-generic state machine behind `CSVReader` (non-generic so its fields have static
/// offsets even where `CSVReader` is used unspecialized).
internal struct CSVTokenizer: ~Copyable {
    private enum State {
        /// Before a record: skips empty lines.
        case recordStart
        /// Saw CR on an empty line; LF must follow.
        case emptyLineCR
        /// At the first byte of a field.
        case fieldStart
        /// Inside an unquoted field.
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// Saw a `"` inside a quoted field: `""` or the closing quote.
        case afterQuote
        /// Saw CR ending a record; LF must follow.
        case recordCR
    }

    private static let comma: UInt8 = 0x2C
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22

    let limits: CSVLimits
    private let maxFieldBytes: Int
    private let maxFields: Int

    /// Input chunk: bytes `pos..<end` are unread.
    private let buffer: UnsafeMutablePointer<UInt8>
    private let bufferCapacity: Int
    private let readSize: Int
    private var pos = 0
    private var end = 0

    /// Unescaped content of the record being built; grows by doubling up to `maxRecordBytes`.
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    /// End offsets of the fields of the record being built; grows up to `maxFieldsPerRecord`.
    private var ends: UnsafeMutablePointer<Int>
    private var endsCapacity: Int

    private var started = false
    private var sourceExhausted = false
    private var finished = false
    /// Physical line of the byte at `pos`.
    private var line = 1
    private(set) var bytesRead = 0

    init(limits: CSVLimits, chunkSize: Int) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.limits = limits
        self.maxFieldBytes = limits.maxFieldBytes
        self.maxFields = limits.maxFieldsPerRecord
        self.readSize = chunkSize
        self.bufferCapacity = max(chunkSize, 4)  // room to look at a whole BOM
        self.buffer = .allocate(capacity: bufferCapacity)
        self.scratchCapacity = min(limits.maxRecordBytes, 64 * 1024)
        self.scratch = .allocate(capacity: scratchCapacity)
        self.endsCapacity = min(limits.maxFieldsPerRecord, 64)
        self.ends = .allocate(capacity: endsCapacity)
    }

    deinit {
        buffer.deallocate()
        scratch.deallocate()
        ends.deallocate()
    }

    mutating func next<S: ByteSource>(into record: inout CSVRecord, source: inout S) throws(CSVError) -> Bool {
        if finished { return false }
        if !started {
            started = true
            try skipByteOrderMark(&source)
        }

        let p = buffer
        var s = scratch
        var i = pos
        var e = end
        var ln = line
        defer {
            pos = i
            line = ln
        }

        var state = State.recordStart
        var recordLine = ln
        var quoteLine = ln
        var o = 0           // content bytes of this record so far (in `scratch`)
        var fieldStart = 0  // where the current field's content starts in `scratch`
        var nf = 0          // completed fields

        while true {
            if i == e {
                let n = try refill(&source, line: ln)
                i = 0
                e = n
                if n == 0 {
                    switch state {
                    case .recordStart:
                        finished = true
                        return false
                    case .emptyLineCR:
                        throw fail(.bareCarriageReturn, line: ln)
                    case .recordCR:
                        throw fail(.bareCarriageReturn, line: recordLine)
                    case .quoted:
                        throw fail(.unterminatedQuote(openedOnLine: quoteLine), line: recordLine)
                    case .fieldStart, .unquoted, .afterQuote:
                        try endField(&nf, o, recordLine: recordLine)
                        record.assign(line: recordLine, bytes: s, count: o, ends: ends, fieldCount: nf)
                        return true
                    }
                }
            }

            switch state {
            case .recordStart:
                let b = p[i]
                if b == Self.lf {
                    i &+= 1
                    ln &+= 1
                    continue
                }
                if b == Self.cr {
                    i &+= 1
                    state = .emptyLineCR
                    continue
                }
                recordLine = ln
                state = .fieldStart
                fallthrough

            case .fieldStart:
                if p[i] == Self.quote {
                    i &+= 1
                    quoteLine = ln
                    state = .quoted
                    continue
                }
                state = .unquoted
                fallthrough

            case .unquoted:
                let room = available(o, fieldStart)
                let stop = e &- i <= room ? e : i &+ room
                while i < stop {
                    let b = p[i]
                    if b <= Self.comma && (b == Self.comma || b == Self.lf || b == Self.cr || b == Self.quote) {
                        break
                    }
                    s[o] = b
                    o &+= 1
                    i &+= 1
                }
                if i == e { continue }
                let b = p[i]
                if b == Self.comma {
                    try endField(&nf, o, recordLine: recordLine)
                    fieldStart = o
                    i &+= 1
                    state = .fieldStart
                } else if b == Self.lf {
                    try endField(&nf, o, recordLine: recordLine)
                    i &+= 1
                    ln &+= 1
                    record.assign(line: recordLine, bytes: s, count: o, ends: ends, fieldCount: nf)
                    return true
                } else if b == Self.cr {
                    try endField(&nf, o, recordLine: recordLine)
                    i &+= 1
                    state = .recordCR
                } else if b == Self.quote {
                    throw fail(.strayQuote(column: nf &+ 1), line: recordLine)
                } else {
                    try makeRoom(o, fieldStart, column: nf &+ 1, recordLine: recordLine)
                    s = scratch
                }

            case .quoted:
                let room = available(o, fieldStart)
                let stop = e &- i <= room ? e : i &+ room
                while i < stop {
                    let b = p[i]
                    if b <= Self.quote {
                        if b == Self.quote { break }
                        if b == Self.lf { ln &+= 1 }
                    }
                    s[o] = b
                    o &+= 1
                    i &+= 1
                }
                if i == e { continue }
                if p[i] == Self.quote {
                    i &+= 1
                    state = .afterQuote
                } else {
                    try makeRoom(o, fieldStart, column: nf &+ 1, recordLine: recordLine)
                    s = scratch
                }

            case .afterQuote:
                let b = p[i]
                if b == Self.quote {
                    if available(o, fieldStart) == 0 {
                        try makeRoom(o, fieldStart, column: nf &+ 1, recordLine: recordLine)
                        s = scratch
                    }
                    s[o] = Self.quote
                    o &+= 1
                    i &+= 1
                    state = .quoted
                } else if b == Self.comma {
                    try endField(&nf, o, recordLine: recordLine)
                    fieldStart = o
                    i &+= 1
                    state = .fieldStart
                } else if b == Self.lf {
                    try endField(&nf, o, recordLine: recordLine)
                    i &+= 1
                    ln &+= 1
                    record.assign(line: recordLine, bytes: s, count: o, ends: ends, fieldCount: nf)
                    return true
                } else if b == Self.cr {
                    try endField(&nf, o, recordLine: recordLine)
                    i &+= 1
                    state = .recordCR
                } else {
                    throw fail(.strayQuote(column: nf &+ 1), line: recordLine)
                }

            case .recordCR:
                if p[i] == Self.lf {
                    i &+= 1
                    ln &+= 1
                    record.assign(line: recordLine, bytes: s, count: o, ends: ends, fieldCount: nf)
                    return true
                }
                throw fail(.bareCarriageReturn, line: recordLine)

            case .emptyLineCR:
                if p[i] == Self.lf {
                    i &+= 1
                    ln &+= 1
                    state = .recordStart
                    continue
                }
                throw fail(.bareCarriageReturn, line: ln)
            }
        }
    }

    /// Content bytes the current field may still take without a check: bounded by the field
    /// limit and by the scratch capacity (itself at most the record limit).
    @inline(__always)
    private func available(_ o: Int, _ fieldStart: Int) -> Int {
        min(maxFieldBytes &- (o &- fieldStart), scratchCapacity &- o)
    }

    /// The field reached a limit or the scratch buffer is full: throw, or grow the buffer.
    @inline(never)
    private mutating func makeRoom(_ o: Int, _ fieldStart: Int, column: Int, recordLine: Int) throws(CSVError) {
        if o - fieldStart >= maxFieldBytes {
            throw fail(.fieldTooLong(column: column, limit: maxFieldBytes), line: recordLine)
        }
        if o >= limits.maxRecordBytes {
            throw fail(.recordTooLong(limit: limits.maxRecordBytes), line: recordLine)
        }
        let capacity = min(scratchCapacity * 2, limits.maxRecordBytes)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: scratch, count: o)
        scratch.deallocate()
        scratch = grown
        scratchCapacity = capacity
    }

    @inline(__always)
    private mutating func endField(_ nf: inout Int, _ o: Int, recordLine: Int) throws(CSVError) {
        if nf == endsCapacity {
            try growEnds(nf, recordLine: recordLine)
        }
        ends[nf] = o
        nf &+= 1
    }

    @inline(never)
    private mutating func growEnds(_ nf: Int, recordLine: Int) throws(CSVError) {
        if nf >= maxFields {
            throw fail(.tooManyFields(limit: maxFields), line: recordLine)
        }
        let capacity = min(endsCapacity * 2, maxFields)
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        grown.update(from: ends, count: nf)
        ends.deallocate()
        ends = grown
        endsCapacity = capacity
    }

    /// Marks the reader finished and builds the error.
    private mutating func fail(_ kind: CSVError.Kind, line: Int) -> CSVError {
        finished = true
        return CSVError(line: line, kind: kind)
    }

    /// Reads the next chunk into the buffer (`pos = 0`, `end = n`); 0 at the end of input.
    private mutating func refill<S: ByteSource>(_ source: inout S, line: Int) throws(CSVError) -> Int {
        pos = 0
        end = 0
        if sourceExhausted { return 0 }
        let n = try read(&source, into: 0, count: min(readSize, bufferCapacity), line: line)
        end = n
        return n
    }

    private mutating func read<S: ByteSource>(
        _ source: inout S, into offset: Int, count: Int, line: Int
    ) throws(CSVError) -> Int {
        let n: Int
        do {
            n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + offset, count: count))
        } catch {
            throw fail(.readFailed(message: String(describing: error)), line: line)
        }
        precondition(n >= 0 && n <= count, "ByteSource.read returned \(n) for a buffer of \(count) bytes")
        if n == 0 {
            sourceExhausted = true
        }
        bytesRead += n
        return n
    }

    /// Reads until at least three bytes are buffered (or the input ends) and skips a UTF-8 BOM.
    private mutating func skipByteOrderMark<S: ByteSource>(_ source: inout S) throws(CSVError) {
        pos = 0
        end = 0
        while end < 3 && !sourceExhausted {
            end += try read(&source, into: end, count: min(readSize, bufferCapacity - end), line: 1)
        }
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            pos = 3
        }
    }

    mutating func drain<S: ByteSource>(_ source: inout S) throws(CSVError) {
        started = true
        pos = 0
        end = 0
        while !sourceExhausted {
            _ = try read(&source, into: 0, count: bufferCapacity, line: line)
        }
        finished = true
    }
}
