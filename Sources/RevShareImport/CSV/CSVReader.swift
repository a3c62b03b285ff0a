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
    ///   - separator: the byte between fields: `,` for CSV; a usage map may name tab, `;` or `|`
    ///     (double quotes still quote).
    public init(source: Source, limits: CSVLimits = .default, chunkSize: Int = 256 * 1024, separator: UInt8 = 0x2C) {
        self.tokenizer = CSVTokenizer(limits: limits, chunkSize: chunkSize, separator: separator)
        self.source = source
    }

    public var limits: CSVLimits { tokenizer.limits }

    /// Total bytes read from the source so far (a BOM included): for progress reporting.
    public var bytesRead: Int { tokenizer.bytesRead }

    /// Reads the next record into `record`, replacing its content and reusing its storage (fresh
    /// storage only if a copy of the record or a `CSVField` from it is still alive). Returns
    /// `false` at the end of input and after an error; then, and on a throw, `record` is left with
    /// no fields.
    public mutating func next(into record: inout CSVRecord) throws(CSVError) -> Bool {
        try tokenizer.next(into: &record, source: &source)
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

    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22
    private static let lfs: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    private static let crs: UInt64 = 0x0D0D_0D0D_0D0D_0D0D
    private static let quotes: UInt64 = 0x2222_2222_2222_2222

    /// High bit set in each byte of `word` equal to the byte repeated in `pattern`. Exact up to and
    /// including the lowest match (a borrow can only flag bytes above it), which is all the scans
    /// use: on a little-endian load, the lowest set bit is the first matching byte.
    @inline(__always)
    private static func matches(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = word ^ pattern
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    let limits: CSVLimits
    /// The field separator, repeated in each byte of `separators` for the word scan.
    private let separator: UInt8
    private let separators: UInt64
    /// The greatest of separator, LF, CR and quote: bytes above it need no further test.
    private let highestSpecial: UInt8
    private let maxFieldBytes: Int
    private let maxRecordBytes: Int
    private let maxFields: Int

    /// Input chunk: bytes `pos..<end` are unread.
    private let buffer: UnsafeMutablePointer<UInt8>
    private let bufferCapacity: Int
    private let readSize: Int
    private var pos = 0
    private var end = 0

    private var started = false
    private var sourceExhausted = false
    private var finished = false
    /// Physical line of the byte at `pos`.
    private var line = 1
    private(set) var bytesRead = 0

    init(limits: CSVLimits, chunkSize: Int, separator: UInt8) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        precondition(![Self.lf, Self.cr, Self.quote].contains(separator), "the separator cannot be a line break or a quote")
        self.limits = limits
        self.separator = separator
        self.separators = UInt64(separator) &* 0x0101_0101_0101_0101
        self.highestSpecial = max(separator, Self.quote)
        self.maxFieldBytes = limits.maxFieldBytes
        self.maxRecordBytes = limits.maxRecordBytes
        self.maxFields = limits.maxFieldsPerRecord
        self.readSize = chunkSize
        self.bufferCapacity = max(chunkSize, 4)  // room to look at a whole BOM
        self.buffer = .allocate(capacity: bufferCapacity)
    }

    deinit {
        buffer.deallocate()
    }

    mutating func next<S: ByteSource>(into record: inout CSVRecord, source: inout S) throws(CSVError) -> Bool {
        // The unescaped bytes and field ends go straight into the record's own storage. Its
        // pointers and capacities live in locals while parsing and are reloaded after a growth.
        let st = record.prepareForWriting()
        if finished { return false }
        if !started {
            started = true
            try skipByteOrderMark(&source)
        }

        let p = buffer
        var i = pos
        var e = end
        var ln = line
        defer {
            pos = i
            line = ln
        }

        var s = st.bytes
        var room = min(st.byteCapacity, maxRecordBytes)  // content bytes storable without a check
        var ends = st.ends
        var endsRoom = min(st.endsCapacity, maxFields)   // field ends storable without a check

        var state = State.recordStart
        var recordLine = ln
        var quoteLine = ln
        var o = 0           // content bytes of this record so far
        var fieldStart = 0  // where the current field's content starts
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
                        if nf == endsRoom {
                            try growEnds(st, nf, recordLine: recordLine)
                            ends = st.ends
                        }
                        ends[nf] = o
                        st.line = recordLine
                        st.byteCount = o
                        st.fieldCount = nf &+ 1
                        return true
                    }
                }
            }

            // Cases that end a field `break` out of the switch with the delimiter (`,`, LF or CR)
            // in `delimiter`, at `p[i]`; all others `continue`, `return` or `throw`.
            let delimiter: UInt8
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
                let free = min(maxFieldBytes &- (o &- fieldStart), room &- o)
                let stop = e &- i <= free ? e : i &+ free
                #if _endian(little)
                // Eight bytes at a time: copy the word, then find the first special byte in it.
                while stop &- i >= 8 {
                    let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    UnsafeMutableRawPointer(s + o).storeBytes(of: word, as: UInt64.self)
                    let found = Self.matches(word, separators) | Self.matches(word, Self.lfs)
                        | Self.matches(word, Self.crs) | Self.matches(word, Self.quotes)
                    if found != 0 {
                        let k = found.trailingZeroBitCount &>> 3
                        i &+= k
                        o &+= k
                        break
                    }
                    i &+= 8
                    o &+= 8
                }
                #endif
                while i < stop {
                    let b = p[i]
                    if b <= highestSpecial && (b == separator || b == Self.lf || b == Self.cr || b == Self.quote) {
                        break
                    }
                    s[o] = b
                    o &+= 1
                    i &+= 1
                }
                if i == e { continue }
                let b = p[i]
                if b == separator || b == Self.lf || b == Self.cr {
                    delimiter = b
                } else if b == Self.quote {
                    throw fail(.strayQuote(column: nf &+ 1), line: recordLine)
                } else {
                    try makeRoom(st, o, fieldStart, column: nf &+ 1, recordLine: recordLine)
                    s = st.bytes
                    room = min(st.byteCapacity, maxRecordBytes)
                    continue
                }

            case .quoted:
                let free = min(maxFieldBytes &- (o &- fieldStart), room &- o)
                let stop = e &- i <= free ? e : i &+ free
                #if _endian(little)
                // Eight bytes at a time up to the first quote or LF (LFs are counted below).
                while stop &- i >= 8 {
                    let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    UnsafeMutableRawPointer(s + o).storeBytes(of: word, as: UInt64.self)
                    let found = Self.matches(word, Self.quotes) | Self.matches(word, Self.lfs)
                    if found != 0 {
                        let k = found.trailingZeroBitCount &>> 3
                        i &+= k
                        o &+= k
                        break
                    }
                    i &+= 8
                    o &+= 8
                }
                #endif
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
                    try makeRoom(st, o, fieldStart, column: nf &+ 1, recordLine: recordLine)
                    s = st.bytes
                    room = min(st.byteCapacity, maxRecordBytes)
                }
                continue

            case .afterQuote:
                let b = p[i]
                if b == Self.quote {
                    if maxFieldBytes &- (o &- fieldStart) <= 0 || room &- o <= 0 {
                        try makeRoom(st, o, fieldStart, column: nf &+ 1, recordLine: recordLine)
                        s = st.bytes
                        room = min(st.byteCapacity, maxRecordBytes)
                    }
                    s[o] = Self.quote
                    o &+= 1
                    i &+= 1
                    state = .quoted
                    continue
                }
                if b == separator || b == Self.lf || b == Self.cr {
                    delimiter = b
                } else {
                    throw fail(.strayQuote(column: nf &+ 1), line: recordLine)
                }

            case .recordCR:
                if p[i] == Self.lf {
                    i &+= 1
                    ln &+= 1
                    st.line = recordLine
                    st.byteCount = o
                    st.fieldCount = nf
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

            // End of field.
            if nf == endsRoom {
                try growEnds(st, nf, recordLine: recordLine)
                ends = st.ends
                endsRoom = min(st.endsCapacity, maxFields)
            }
            ends[nf] = o
            nf &+= 1
            i &+= 1
            if delimiter == separator {
                fieldStart = o
                state = .fieldStart
            } else if delimiter == Self.lf {
                ln &+= 1
                st.line = recordLine
                st.byteCount = o
                st.fieldCount = nf
                return true
            } else {
                state = .recordCR
            }
        }
    }

    /// The field reached a limit or the record's buffer is full: throw, or grow the buffer.
    @inline(never)
    private mutating func makeRoom(
        _ st: CSVRecord.Storage, _ o: Int, _ fieldStart: Int, column: Int, recordLine: Int
    ) throws(CSVError) {
        if o - fieldStart >= maxFieldBytes {
            throw fail(.fieldTooLong(column: column, limit: maxFieldBytes), line: recordLine)
        }
        if o >= maxRecordBytes {
            throw fail(.recordTooLong(limit: maxRecordBytes), line: recordLine)
        }
        st.growBytes(to: min(max(st.byteCapacity * 2, 1024), maxRecordBytes), keeping: o)
    }

    /// The record holds as many field ends as its buffer (or the limit) allows: throw, or grow.
    @inline(never)
    private mutating func growEnds(_ st: CSVRecord.Storage, _ nf: Int, recordLine: Int) throws(CSVError) {
        if nf >= maxFields {
            throw fail(.tooManyFields(limit: maxFields), line: recordLine)
        }
        st.growEnds(to: min(max(st.endsCapacity * 2, 16), maxFields), keeping: nf)
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
}
