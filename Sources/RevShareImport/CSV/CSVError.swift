/// Bounds on what one record may hold. Input over a limit is a `CSVError`, never unbounded memory:
/// a reader holds at most one chunk plus one record (`maxRecordBytes` of field content and
/// `maxFieldsPerRecord` offsets).
///
/// Sizes count *unescaped field content* — the bytes a caller sees — so quotes, the second quote of
/// a `""` pair, commas and the record's line break are not counted.
public struct CSVLimits: Equatable, Sendable {
    /// Longest field, in bytes. Default 1 MiB.
    public var maxFieldBytes: Int
    /// Longest record (the sum of its fields), in bytes. Default 4 MiB.
    public var maxRecordBytes: Int
    /// Most fields in one record. Default 1024.
    public var maxFieldsPerRecord: Int

    public init(maxFieldBytes: Int = 1 << 20, maxRecordBytes: Int = 4 << 20, maxFieldsPerRecord: Int = 1024) {
        precondition(maxFieldBytes > 0 && maxRecordBytes > 0 && maxFieldsPerRecord > 0,
                     "CSV limits must be positive")
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxFieldsPerRecord = maxFieldsPerRecord
    }

    public static let `default` = CSVLimits()
}

/// A CSV syntax error, a limit exceeded, or a failed read. Errors are final: after one, the reader
/// yields no more records.
///
/// `line` is the physical (1-based) line on which the offending record starts — the header is
/// line 1 — so it reads like every other `FILE:LINE:` message. For a stray carriage return on an
/// otherwise empty line it is that line. For `readFailed` it is the line being read.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// End of input inside a quoted field; the quote was opened on `openedOnLine`.
        case unterminatedQuote(openedOnLine: Int)
        /// A `"` inside an unquoted field, or anything but `,`, CR LF or LF right after a closing
        /// quote. `column` is the 1-based field position in the record.
        case strayQuote(column: Int)
        /// A CR not followed by LF outside a quoted field (see `CSVReader`).
        case bareCarriageReturn
        /// A field longer than `limit` bytes; `column` is 1-based.
        case fieldTooLong(column: Int, limit: Int)
        /// A record longer than `limit` bytes in total.
        case recordTooLong(limit: Int)
        /// A record with more than `limit` fields.
        case tooManyFields(limit: Int)
        /// The byte source threw; `message` describes why.
        case readFailed(message: String)
    }

    public var line: Int
    public var kind: Kind

    public init(line: Int, kind: Kind) {
        self.line = line
        self.kind = kind
    }

    /// One human sentence, without the file name or line number.
    public var message: String {
        switch kind {
        case .unterminatedQuote(let opened):
            return "unterminated quoted field (opened on line \(opened))"
        case .strayQuote(let column):
            return "stray quote in column \(column): a quoted field must be quoted as a whole, "
                + "with a literal quote written as \"\""
        case .bareCarriageReturn:
            return "bare carriage return (CR not followed by LF) outside a quoted field"
        case .fieldTooLong(let column, let limit):
            return "field in column \(column) is longer than \(limit) bytes"
        case .recordTooLong(let limit):
            return "record is longer than \(limit) bytes"
        case .tooManyFields(let limit):
            return "record has more than \(limit) fields"
        case .readFailed(let message):
            return "read failed: \(message)"
        }
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}
