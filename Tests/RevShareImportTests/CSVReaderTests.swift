import Foundation
import Testing

@testable import RevShareImport

// MARK: - Helpers (shared with the other reader tests of this target)

struct Row: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [[UInt8]]

    init(_ line: Int, _ fields: [String]) {
        self.line = line
        self.fields = fields.map { Array($0.utf8) }
    }

    init(line: Int, bytes: [[UInt8]]) {
        self.line = line
        self.fields = bytes
    }

    var description: String {
        "\(line): " + fields.map { String(decoding: $0, as: UTF8.self).debugDescription }.joined(separator: ",")
    }
}

struct Parsed: Equatable {
    var rows: [Row] = []
    var error: CSVError?
}

func parse(
    _ input: [UInt8], chunkSize: Int = 256 * 1024, maxReadSize: Int = .max, limits: CSVLimits = .default
) -> Parsed {
    var reader = CSVReader(
        source: BytesByteSource(input, maxReadSize: maxReadSize), limits: limits, chunkSize: chunkSize)
    var record = CSVRecord()
    var parsed = Parsed()
    do {
        while try reader.next(into: &record) {
            parsed.rows.append(Row(line: record.line, bytes: (0..<record.fieldCount).map { i in record.withFieldBytes(i) { [UInt8]($0) } }))
        }
    } catch {
        parsed.error = error
    }
    return parsed
}

func parse(
    _ input: String, chunkSize: Int = 256 * 1024, maxReadSize: Int = .max, limits: CSVLimits = .default
) -> Parsed {
    parse(Array(input.utf8), chunkSize: chunkSize, maxReadSize: maxReadSize, limits: limits)
}

/// SplitMix64: a small deterministic generator, so property tests replay identically.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private struct Boom: Error, CustomStringConvertible {
    var description: String { "disk on fire" }
}

/// Yields `bytes` in one read, then throws.
private struct FailingSource: ByteSource {
    var bytes: [UInt8]
    var served = false

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if served { throw Boom() }
        served = true
        buffer.copyBytes(from: bytes)
        return bytes.count
    }
}

// MARK: - Grammar

@Suite struct CSVReaderTests {
    @Test func byteOrderMarkIsSkipped() {
        let parsed = parse("\u{FEFF}a,b\n1,2\n")
        #expect(parsed == Parsed(rows: [Row(1, ["a", "b"]), Row(2, ["1", "2"])]))
    }

    @Test func byteOrderMarkOnlyCountsAtTheStart() {
        let parsed = parse("a\n\u{FEFF}b\n")
        #expect(parsed.rows == [Row(1, ["a"]), Row(line: 2, bytes: [[0xEF, 0xBB, 0xBF, 0x62]])])
    }

    @Test(arguments: [
        ([0xEF, 0xBB, 0xBF] as [UInt8], [] as [[UInt8]]),
        ([0xEF, 0xBB, 0xBF, 0x0A], []),
        ([0xEF], [[0xEF]]),
        ([0xEF, 0xBB], [[0xEF, 0xBB]]),
        ([0xEF, 0xBB, 0x41], [[0xEF, 0xBB, 0x41]]),
        ([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF], [[0xEF, 0xBB, 0xBF]]),
    ])
    func byteOrderMarkPrefixes(input: [UInt8], fields: [[UInt8]]) {
        for chunkSize in [1, 2, 3, 4, 1024] {
            let parsed = parse(input, chunkSize: chunkSize)
            #expect(parsed.error == nil)
            #expect(parsed.rows == (fields.isEmpty ? [] : [Row(line: 1, bytes: fields)]), "chunk \(chunkSize)")
        }
    }

    @Test(arguments: [
        "a,b\n1,2\n",
        "a,b\r\n1,2\r\n",
        "a,b\r\n1,2\n",
        "a,b\n1,2\r\n",
        "a,b\n1,2",
        "a,b\r\n1,2",
    ])
    func lineEndingsAndOptionalFinalNewline(input: String) {
        #expect(parse(input) == Parsed(rows: [Row(1, ["a", "b"]), Row(2, ["1", "2"])]))
    }

    @Test func emptyLinesAreSkippedButCounted() {
        let parsed = parse("\n\na,b\n\r\n\nc,d\r\n\r\n\r\ne,f")
        #expect(parsed == Parsed(rows: [Row(3, ["a", "b"]), Row(6, ["c", "d"]), Row(9, ["e", "f"])]))
    }

    @Test(arguments: ["", "\n", "\r\n", "\n\n\r\n", "\u{FEFF}", "\u{FEFF}\r\n"])
    func inputsWithoutRecords(input: String) {
        #expect(parse(input) == Parsed())
    }

    @Test func strayFinalLineBreaksAreNotRecords() {
        #expect(parse("h\r\n1\r\n\r\n") == Parsed(rows: [Row(1, ["h"]), Row(2, ["1"])]))
        #expect(parse("h\n1\n\n\n") == Parsed(rows: [Row(1, ["h"]), Row(2, ["1"])]))
    }

    @Test func blankLookingLinesAreRecords() {
        #expect(parse(" \n\"\"\n\t\n").rows == [Row(1, [" "]), Row(2, [""]), Row(3, ["\t"])])
    }

    @Test func quotedFields() {
        let input = "id,text,quote,empty\n1,\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n2,\"\",\"x\",\"\"\n"
        #expect(parse(input) == Parsed(rows: [
            Row(1, ["id", "text", "quote", "empty"]),
            Row(2, ["1", "a,b", "say \"hi\"", "\""]),
            Row(3, ["2", "", "x", ""]),
        ]))
    }

    @Test func quotedLineBreaksMoveTheNextRecordsLine() {
        let input = "h1,h2\n\"x\ny\",\"p\r\nq\r\n\"\nlast,\"a\rb\"\nend\n"
        #expect(parse(input) == Parsed(rows: [
            Row(1, ["h1", "h2"]),
            Row(2, ["x\ny", "p\r\nq\r\n"]),
            Row(6, ["last", "a\rb"]),
            Row(7, ["end"]),
        ]))
    }

    @Test(arguments: [
        ("a,b,", ["a", "b", ""]),
        (",", ["", ""]),
        (",,", ["", "", ""]),
        ("a", ["a"]),
        ("\"\",", ["", ""]),
        ("a,\"\"", ["a", ""]),
        (",a,", ["", "a", ""]),
    ])
    func emptyFields(line: String, fields: [String]) {
        for ending in ["", "\n", "\r\n"] {
            #expect(parse(line + ending) == Parsed(rows: [Row(1, fields)]), "ending \(ending.debugDescription)")
        }
    }

    @Test func invalidUTF8SurvivesAsBytes() throws {
        var reader = CSVReader(source: BytesByteSource([0xFF, 0x2C, 0xC3, 0x28, 0x2C, 0x6F, 0x6B, 0x0A]))
        var record = CSVRecord()
        #expect(try reader.next(into: &record))
        #expect(record.fieldCount == 3)
        #expect(Array(record.bytes(0)) == [0xFF])
        #expect(Array(record.bytes(1)) == [0xC3, 0x28])
        #expect(record.string(0) == nil)
        #expect(record.string(1) == nil)
        #expect(record.string(2) == "ok")
        #expect(record.strings == [nil, nil, "ok"])
        #expect(try !reader.next(into: &record))
    }

    @Test func recordAccessors() throws {
        var reader = CSVReader(source: BytesByteSource("aws,,\"caf\u{E9}\",12345678901234567890\nx\n"))
        var record = CSVRecord()
        #expect(try reader.next(into: &record))
        #expect(record.line == 1)
        #expect(record.fieldCount == 4)
        #expect(record.byteCount(0) == 3)
        #expect(record.byteCount(2) == 5)
        #expect(!record.isEmpty(0))
        #expect(record.isEmpty(1))
        #expect(record.field(0, equals: "aws"))
        #expect(!record.field(0, equals: "aw"))
        #expect(!record.field(0, equals: "AWS"))
        #expect(record.field(1, equals: ""))
        #expect(record.field(2, equals: "caf\u{E9}"))
        #expect(record.field(0, equals: [0x61, 0x77, 0x73] as [UInt8]))
        #expect(record.bytes(0) == "aws")
        #expect(record.bytes(0) == [0x61, 0x77, 0x73])
        #expect(!(record.bytes(0) == "aw"))
        #expect(record.bytes(1) == "")
        #expect(record.bytes(2).string == "caf\u{E9}")
        #expect(Array(record.bytes(2)) == [0x63, 0x61, 0x66, 0xC3, 0xA9])
        #expect(record.bytes(0) == CSVRecord(line: 9, fields: ["aws"]).bytes(0))
        #expect(Set([record.bytes(0), CSVRecord(line: 1, fields: ["x", "aws"]).bytes(1)]).count == 1)
        #expect(record.string(2) == "caf\u{E9}")
        let digitSum = record.withFieldBytes(3) { bytes in bytes.reduce(0) { $0 + Int($1 - 0x30) } }
        #expect(digitSum == 90)
        struct NotDigit: Error {}
        #expect(throws: NotDigit.self) {
            try record.withFieldBytes(0) { (bytes) throws(NotDigit) -> Int in
                if bytes.first! > 0x39 { throw NotDigit() }
                return 0
            }
        }

        // Reuse: the shorter record replaces the longer one entirely.
        #expect(try reader.next(into: &record))
        #expect(record.line == 2)
        #expect(record.fieldCount == 1)
        #expect(record.strings == ["x"])
        #expect(try !reader.next(into: &record))
        #expect(try !reader.next(into: &record))
    }

    @Test func recordsAndFieldsAreValues() throws {
        var reader = CSVReader(source: BytesByteSource("a,bb\nccc\n"))
        var record = CSVRecord()
        #expect(try reader.next(into: &record))
        let copy = record
        let field = record.bytes(1)
        #expect(try reader.next(into: &record))
        #expect(record.strings == ["ccc"])
        #expect(record.line == 2)
        #expect(copy.strings == ["a", "bb"])
        #expect(copy.line == 1)
        #expect(field == "bb")
        #expect(copy == CSVRecord(line: 1, fields: ["a", "bb"]))
        #expect(copy != CSVRecord(line: 2, fields: ["a", "bb"]))
        #expect(copy != CSVRecord(line: 1, fields: ["a", "b", "b"]))
        #expect(try !reader.next(into: &record))
        #expect(record.fieldCount == 0)
    }

    @Test func limitsApplyToARecordReusedFromALargerRead() throws {
        var record = CSVRecord()
        var big = CSVReader(source: BytesByteSource([UInt8](repeating: 0x61, count: 100_000) + [0x2C, 0x62]))
        #expect(try big.next(into: &record))
        #expect(record.byteCount(0) == 100_000)
        let limits = CSVLimits(maxFieldBytes: 100, maxRecordBytes: 6, maxFieldsPerRecord: 2)
        var small = CSVReader(source: BytesByteSource("abc,def\nabc,defg\n"), limits: limits)
        #expect(try small.next(into: &record))
        #expect(record.strings == ["abc", "def"])
        #expect(throws: CSVError(line: 2, kind: .recordTooLong(limit: 6))) { try small.next(into: &record) }
    }

    @Test func recordBuiltFromFields() {
        let record = CSVRecord(line: 7, fields: ["a", "", "b\"c"])
        #expect(record.line == 7)
        #expect(record.fieldCount == 3)
        #expect(record.strings == ["a", "", "b\"c"])
        #expect(record.isEmpty(1))
    }

    /// Every byte value, at every alignment, next to every delimiter: exercises the word-at-a-time
    /// scans (bytes with the high bit set, bytes one above or below a special byte).
    @Test(arguments: [1, 7, 64, 256 * 1024])
    func everyByteValueAtEveryAlignment(chunkSize: Int) {
        let specials: Set<UInt8> = [0x2C, 0x22, 0x0D, 0x0A]
        let plain = (0...255).map(UInt8.init).filter { !specials.contains($0) }
        let all = (0...255).map(UInt8.init)
        var input: [UInt8] = []
        var expected: [Row] = []
        for shift in 0..<9 {
            let pad = [UInt8](repeating: 0x78, count: shift)
            let unquoted = pad + plain
            let quoted = pad + all + pad
            input += unquoted + [0x2C, 0x22]
            for byte in quoted {
                if byte == 0x22 { input.append(0x22) }
                input.append(byte)
            }
            input += [0x22, 0x2C] + pad + [0x0D, 0x0A]
            // Each record spans two lines: `all` holds one LF, then the record's CR LF.
            expected.append(Row(line: 1 + 2 * shift, bytes: [unquoted, quoted, pad]))
        }
        #expect(parse(input, chunkSize: chunkSize) == Parsed(rows: expected))
    }

    // MARK: - Chunk boundaries

    /// Every chunk size from 1 byte up puts a boundary inside the BOM, inside quotes, between the
    /// two quotes of `""`, between CR and LF, and right after a closing quote.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 64])
    func recordsSplitAcrossChunks(chunkSize: Int) {
        let input = "\u{FEFF}h1,h2\r\n\"q,\"\"x\"\"\r\ny\",plain\r\n\r\n\"\"\"\",\"\"\r\nlast,\"a\nb\"\"\"\n,\n\"\",x"
        let expected = Parsed(rows: [
            Row(1, ["h1", "h2"]),
            Row(2, ["q,\"x\"\r\ny", "plain"]),
            Row(5, ["\"", ""]),
            Row(6, ["last", "a\nb\""]),
            Row(8, ["", ""]),
            Row(9, ["", "x"]),
        ])
        #expect(parse(input) == expected)
        #expect(parse(input, chunkSize: chunkSize) == expected)
        for maxReadSize in [1, 2, 3] {
            #expect(parse(input, chunkSize: chunkSize, maxReadSize: maxReadSize) == expected)
        }
    }

    @Test(arguments: [1, 2, 3, 5])
    func errorsAcrossChunks(chunkSize: Int) {
        #expect(parse("a\n\"b\"\"", chunkSize: chunkSize).error
            == CSVError(line: 2, kind: .unterminatedQuote(openedOnLine: 2)))
        #expect(parse("a\n\"b\"\"c\"x\n", chunkSize: chunkSize).error == CSVError(line: 2, kind: .strayQuote(column: 1)))
        #expect(parse("a\r\nb\rc\n", chunkSize: chunkSize).error == CSVError(line: 2, kind: .bareCarriageReturn))
    }

    // MARK: - Errors

    @Test(arguments: [
        ("a\n\"abc\n", 1, CSVError(line: 2, kind: .unterminatedQuote(openedOnLine: 2))),
        ("a,\"x\ny\nz", 0, CSVError(line: 1, kind: .unterminatedQuote(openedOnLine: 1))),
        ("h\nx,\"multi\nline\",\"open\nrest", 1, CSVError(line: 2, kind: .unterminatedQuote(openedOnLine: 3))),
        ("\"", 0, CSVError(line: 1, kind: .unterminatedQuote(openedOnLine: 1))),
        ("a,b\"c\n", 0, CSVError(line: 1, kind: .strayQuote(column: 2))),
        ("a,b\nc,\"d\" \n", 1, CSVError(line: 2, kind: .strayQuote(column: 2))),
        ("x\n\"a\nb\"x,\n", 1, CSVError(line: 2, kind: .strayQuote(column: 1))),
        ("ab\"\n", 0, CSVError(line: 1, kind: .strayQuote(column: 1))),
        ("a,\"b\"\"\"c", 0, CSVError(line: 1, kind: .strayQuote(column: 2))),
        ("a\rb\n", 0, CSVError(line: 1, kind: .bareCarriageReturn)),
        ("a\nb\r", 1, CSVError(line: 2, kind: .bareCarriageReturn)),
        ("a\n\"b\"\rc", 1, CSVError(line: 2, kind: .bareCarriageReturn)),
        ("a\n\rb\n", 1, CSVError(line: 2, kind: .bareCarriageReturn)),
        ("a\n\n\r", 1, CSVError(line: 3, kind: .bareCarriageReturn)),
        ("a,\r\r\n", 0, CSVError(line: 1, kind: .bareCarriageReturn)),
    ])
    func syntaxErrors(input: String, rowsBefore: Int, error: CSVError) {
        let parsed = parse(input)
        #expect(parsed.error == error)
        #expect(parsed.rows.count == rowsBefore)
    }

    @Test func errorMessages() {
        #expect(CSVError(line: 12, kind: .unterminatedQuote(openedOnLine: 12)).message
            == "unterminated quoted field (opened on line 12)")
        #expect(CSVError(line: 3, kind: .strayQuote(column: 2)).message
            == "stray quote in column 2: a quoted field must be quoted as a whole, with a literal quote written as \"\"")
        #expect(CSVError(line: 4, kind: .bareCarriageReturn).message
            == "bare carriage return (CR not followed by LF) outside a quoted field")
        #expect(CSVError(line: 5, kind: .fieldTooLong(column: 3, limit: 1_048_576)).message
            == "field in column 3 is longer than 1048576 bytes")
        #expect(CSVError(line: 6, kind: .recordTooLong(limit: 4_194_304)).message
            == "record is longer than 4194304 bytes")
        #expect(CSVError(line: 7, kind: .tooManyFields(limit: 1024)).message == "record has more than 1024 fields")
        #expect(CSVError(line: 8, kind: .readFailed(message: "boom")).message == "read failed: boom")
        #expect(CSVError(line: 12, kind: .unterminatedQuote(openedOnLine: 13)).description
            == "line 12: unterminated quoted field (opened on line 13)")
    }

    @Test func errorsAreFinal() throws {
        var reader = CSVReader(source: BytesByteSource("a\nb\"c\nd\ne\n"))
        var record = CSVRecord()
        #expect(try reader.next(into: &record))
        #expect(throws: CSVError(line: 2, kind: .strayQuote(column: 1))) {
            try reader.next(into: &record)
        }
        #expect(try !reader.next(into: &record))
        #expect(try !reader.next(into: &record))
    }

    @Test func readFailureIsAnError() throws {
        var reader = CSVReader(source: FailingSource(bytes: Array("h\n1\n2,\"x".utf8)), chunkSize: 64)
        var record = CSVRecord()
        #expect(try reader.next(into: &record))
        #expect(try reader.next(into: &record))
        #expect(record.strings == ["1"])
        #expect(throws: CSVError(line: 3, kind: .readFailed(message: "disk on fire"))) {
            try reader.next(into: &record)
        }
        #expect(try !reader.next(into: &record))
    }

    // MARK: - Limits

    @Test func defaultLimits() {
        let limits = CSVLimits.default
        #expect(limits.maxFieldBytes == 1_048_576)
        #expect(limits.maxRecordBytes == 4_194_304)
        #expect(limits.maxFieldsPerRecord == 1024)
    }

    @Test(arguments: [1, 3, 256 * 1024])
    func fieldLimit(chunkSize: Int) {
        let limits = CSVLimits(maxFieldBytes: 4, maxRecordBytes: 100, maxFieldsPerRecord: 10)
        #expect(parse("ab,abcd\n", chunkSize: chunkSize, limits: limits) == Parsed(rows: [Row(1, ["ab", "abcd"])]))
        #expect(parse("ab,abcd", chunkSize: chunkSize, limits: limits) == Parsed(rows: [Row(1, ["ab", "abcd"])]))
        #expect(parse("h\nab,abcde\n", chunkSize: chunkSize, limits: limits)
            == Parsed(rows: [Row(1, ["h"])], error: CSVError(line: 2, kind: .fieldTooLong(column: 2, limit: 4))))
        // Quoted: `""` counts as one byte.
        #expect(parse("\"ab\"\"c\",x\n", chunkSize: chunkSize, limits: limits) == Parsed(rows: [Row(1, ["ab\"c", "x"])]))
        #expect(parse("\"ab\"\"cd\"\n", chunkSize: chunkSize, limits: limits)
            == Parsed(error: CSVError(line: 1, kind: .fieldTooLong(column: 1, limit: 4))))
        #expect(parse("\"abcd\"\"\"\n", chunkSize: chunkSize, limits: limits)
            == Parsed(error: CSVError(line: 1, kind: .fieldTooLong(column: 1, limit: 4))))
        #expect(parse("\"a\nbcd\"\n", chunkSize: chunkSize, limits: limits)
            == Parsed(error: CSVError(line: 1, kind: .fieldTooLong(column: 1, limit: 4))))
    }

    @Test(arguments: [1, 3, 256 * 1024])
    func recordLimit(chunkSize: Int) {
        let limits = CSVLimits(maxFieldBytes: 100, maxRecordBytes: 6, maxFieldsPerRecord: 10)
        #expect(parse("abc,def\n,,\n", chunkSize: chunkSize, limits: limits)
            == Parsed(rows: [Row(1, ["abc", "def"]), Row(2, ["", "", ""])]))
        #expect(parse("abc,def\n\nabc,\"de\"\"f\"\n", chunkSize: chunkSize, limits: limits)
            == Parsed(rows: [Row(1, ["abc", "def"])], error: CSVError(line: 3, kind: .recordTooLong(limit: 6))))
        #expect(parse("a,b,c,d,e,f,g", chunkSize: chunkSize, limits: limits)
            == Parsed(error: CSVError(line: 1, kind: .recordTooLong(limit: 6))))
    }

    @Test(arguments: [1, 256 * 1024])
    func fieldCountLimit(chunkSize: Int) {
        let limits = CSVLimits(maxFieldBytes: 100, maxRecordBytes: 100, maxFieldsPerRecord: 3)
        #expect(parse("a,b,c\n,,\n", chunkSize: chunkSize, limits: limits)
            == Parsed(rows: [Row(1, ["a", "b", "c"]), Row(2, ["", "", ""])]))
        #expect(parse("a,b,c\na,b,c,d\n", chunkSize: chunkSize, limits: limits)
            == Parsed(rows: [Row(1, ["a", "b", "c"])], error: CSVError(line: 2, kind: .tooManyFields(limit: 3))))
        #expect(parse("a,b,c,", chunkSize: chunkSize, limits: limits)
            == Parsed(error: CSVError(line: 1, kind: .tooManyFields(limit: 3))))
        #expect(parse(",,,\n", chunkSize: chunkSize, limits: limits)
            == Parsed(error: CSVError(line: 1, kind: .tooManyFields(limit: 3))))
    }

    @Test func defaultLimitsAtTheirEdges() {
        let mib = 1 << 20
        var exact = [UInt8](repeating: 0x61, count: mib)
        exact.append(contentsOf: Array(",\"".utf8) + [UInt8](repeating: 0x62, count: 200_000) + [0x22, 0x0A])
        let ok = parse(exact)
        #expect(ok.error == nil)
        #expect(ok.rows.count == 1)
        #expect(ok.rows.first?.fields.map(\.count) == [mib, 200_000])

        let over = [UInt8](repeating: 0x61, count: mib + 1)
        #expect(parse(over).error == CSVError(line: 1, kind: .fieldTooLong(column: 1, limit: mib)))

        var wide = [UInt8](repeating: 0x2C, count: 1023)
        #expect(parse(wide).rows.first?.fields.count == 1024)
        wide.append(0x2C)
        #expect(parse(wide).error == CSVError(line: 1, kind: .tooManyFields(limit: 1024)))

        let bigField = [UInt8](repeating: 0x7A, count: mib)
        var long: [UInt8] = []
        for _ in 0..<4 { long += bigField + [0x2C] }
        long.removeLast()
        #expect(parse(long).rows.first?.fields.count == 4)
        #expect(parse(long + [0x2C, 0x7A]).error == CSVError(line: 1, kind: .recordTooLong(limit: 4 * mib)))
    }

    // MARK: - Sources

    @Test func observedSourceSeesEveryByteOnce() throws {
        let input = Array("\u{FEFF}a,b\r\n\"x\ny\",2\n\n".utf8)
        var seen: [UInt8] = []
        let source = ObservedByteSource(BytesByteSource(input, maxReadSize: 3)) { seen.append(contentsOf: $0) }
        var reader = CSVReader(source: source, chunkSize: 5)
        var record = CSVRecord()
        var lines: [Int] = []
        while try reader.next(into: &record) {
            lines.append(record.line)
        }
        #expect(lines == [1, 2])
        #expect(seen == input)
        #expect(reader.bytesRead == input.count)
        #expect(reader.source.bytesConsumed == input.count)
    }

    @Test func fileSource() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("csvreader-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("usage.csv")
        try Data("\u{FEFF}usage_date,partner\r\n2025-01-03,aws\r\n".utf8).write(to: file)

        var reader = CSVReader(source: try FileByteSource(path: file.path), chunkSize: 7)
        var record = CSVRecord()
        var rows: [[String?]] = []
        while try reader.next(into: &record) {
            rows.append(record.strings)
        }
        #expect(rows == [["usage_date", "partner"], ["2025-01-03", "aws"]])
        #expect(reader.bytesRead == 39)

        #expect(throws: FileSourceError.self) { try FileByteSource(path: dir.appendingPathComponent("nope.csv").path) }
        do {
            _ = try FileByteSource(path: dir.appendingPathComponent("nope.csv").path)
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.description.hasSuffix("nope.csv: cannot open: No such file or directory"))
        }
        do {
            _ = try FileByteSource(path: dir.path)
            Issue.record("opening a directory should fail")
        } catch {
            #expect(error.kind == .isDirectory)
            #expect(error.description == "\(dir.path): is a directory")
        }
    }

    // MARK: - Header

    @Test func headerMatching() {
        let record = CSVRecord(line: 1, fields: [" Usage_Date ", "PARTNER", "\tmodel\t", "Extra", "extra ", "Other", ""])
        let header = CSVHeader(record)
        #expect(header.count == 7)
        #expect(header.names == ["Usage_Date", "PARTNER", "model", "Extra", "extra", "Other", ""])
        #expect(header.keys == ["usage_date", "partner", "model", "extra", "extra", "other", ""])
        #expect(header.index(of: "usage_date") == 0)
        #expect(header.index(of: "  Partner ") == 1)
        #expect(header.index(of: "MODEL") == 2)
        #expect(header.index(of: "extra") == 3)
        #expect(header.index(of: "region") == nil)
        #expect(header.unknownColumns(known: ["usage_date", "partner", "model"]) == ["Extra", "Other", ""])
        #expect(header.unknownColumns(known: ["USAGE_DATE", "partner", "model", "extra", "other", ""]) == [])
        #expect(header.duplicates == [CSVHeader.DuplicateColumn(name: "extra", firstColumn: 4, column: 5, line: 1)])
        #expect(header.duplicates.first?.message == "duplicate column \"extra\" (columns 4 and 5)")
    }

    @Test("column names are told apart byte for byte: café (U+00E9) and cafe + U+0301 are two columns")
    func headerNamesAreExact() {
        let header = CSVHeader(names: ["caf\u{E9}", "cafe\u{301}"])
        #expect(header.duplicates.isEmpty)
        #expect(header.index(of: "cafe\u{301}") == 1)
        #expect(header.unknownColumns(known: []).map { Array($0.utf8) } == [Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8)])
    }

    @Test func headerFromFile() throws {
        var reader = CSVReader(source: BytesByteSource([0x0A, 0xFF] + Array("name, id ,ID,id\n".utf8)))
        var record = CSVRecord()
        #expect(try reader.next(into: &record))
        let header = CSVHeader(record)
        #expect(header.line == 2)
        #expect(header.names == ["\u{FFFD}name", "id", "ID", "id"])
        #expect(header.index(of: "id") == 1)
        #expect(header.duplicates == [
            CSVHeader.DuplicateColumn(name: "ID", firstColumn: 2, column: 3, line: 2),
            CSVHeader.DuplicateColumn(name: "id", firstColumn: 2, column: 4, line: 2),
        ])
        #expect(CSVHeader(names: ["a", "b"]).duplicates.isEmpty)
    }

    // MARK: - Round trip

    /// Random records written with random quoting, line endings, BOM and chunk sizes parse back to
    /// the same fields on the expected lines.
    @Test func randomRoundTrip() {
        var rng = SplitMix64(state: 0x5EED_CAFE)
        let alphabet: [[UInt8]] = [
            [0x61], [0x62], [0x30], [0x2C], [0x22], [0x0D], [0x0A], [0x20], [0x0D, 0x0A], [0xC3, 0xA9], [0xFF],
        ]
        let specials: Set<UInt8> = [0x2C, 0x22, 0x0D, 0x0A]
        var totalRecords = 0
        for caseIndex in 0..<400 {
            var input: [UInt8] = Bool.random(using: &rng) ? [0xEF, 0xBB, 0xBF] : []
            var expected: [Row] = []
            var line = 1
            let recordCount = Int.random(in: 1...8, using: &rng)
            for r in 0..<recordCount {
                let fieldCount = Int.random(in: 1...6, using: &rng)
                var fields: [[UInt8]] = []
                for _ in 0..<fieldCount {
                    var field: [UInt8] = []
                    for _ in 0..<Int.random(in: 0...6, using: &rng) {
                        field += alphabet.randomElement(using: &rng)!
                    }
                    fields.append(field)
                }
                let recordLine = line
                for (f, field) in fields.enumerated() {
                    if f > 0 { input.append(0x2C) }
                    let special = field.contains(where: specials.contains)
                    let lonelyEmpty = fieldCount == 1 && field.isEmpty
                    if special || lonelyEmpty || Int.random(in: 0..<4, using: &rng) == 0 {
                        input.append(0x22)
                        for byte in field {
                            if byte == 0x22 { input.append(0x22) }
                            if byte == 0x0A { line += 1 }
                            input.append(byte)
                        }
                        input.append(0x22)
                    } else {
                        input += field
                    }
                }
                let isLast = r == recordCount - 1
                if !isLast || Bool.random(using: &rng) {
                    input += Bool.random(using: &rng) ? [0x0A] : [0x0D, 0x0A]
                    line += 1
                    // Sometimes empty lines, which must be skipped but counted.
                    if !isLast && Int.random(in: 0..<5, using: &rng) == 0 {
                        input += [0x0D, 0x0A, 0x0A]
                        line += 2
                    }
                }
                expected.append(Row(line: recordLine, bytes: fields))
            }
            let chunkSize = [1, 2, 3, 5, 8, 64, 4096].randomElement(using: &rng)!
            let parsed = parse(input, chunkSize: chunkSize)
            #expect(parsed == Parsed(rows: expected), "case \(caseIndex), chunk \(chunkSize)")
            totalRecords += expected.count
        }
        #expect(totalRecords > 1000)
    }
}
