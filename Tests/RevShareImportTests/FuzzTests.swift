import Foundation
import RevShareCore
import RevShareImport
import RevShareStore
import Testing
import TestSupport

// Hostile input (issue 7 item 4): seeded mutations of a valid usage file, run through the library
// as `revshare import usage` runs it. Every case must end in success or `InvalidInput` (category
// invalidInput, exit 65), never a crash, a hang or another error; when refused, the database is
// unchanged. Also the CSV reader alone under the same mutations with random chunk sizes, and the
// decimal parser against a reference oracle.
//
// Deterministic: every case derives from `FuzzSeed.base` and its index with a SplitMix64 of this
// file's own. A failure names its case and mutation; to explore other inputs, set
// REVSHARE_FUZZ_SEED (and REVSHARE_FUZZ_CASES) in the environment.

/// SplitMix64, this file's own (TestSupport has one too; this one never moves with it).
private struct FuzzRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform enough in 0..<n for test inputs.
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

private enum FuzzSeed {
    static let environment = ProcessInfo.processInfo.environment
    static let base: UInt64 = environment["REVSHARE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_F022_2025_0007
    static let importCases: Int = environment["REVSHARE_FUZZ_CASES"].flatMap { Int($0) } ?? 320
    static let readerCases: Int = environment["REVSHARE_FUZZ_CASES"].flatMap { Int($0) } ?? 400
    /// REVSHARE_FUZZ_VERBOSE=1 prints one line per import case: its mutation and how it ended.
    static let verbose = environment["REVSHARE_FUZZ_VERBOSE"] != nil

    static func log(_ caseIndex: Int, _ mutation: String, _ outcome: String) {
        if verbose { print("fuzz-case \(caseIndex) \(mutation) \(outcome)") }
    }

    static func forCase(_ index: Int, salt: UInt64) -> UInt64 {
        var mixer = FuzzRandom(seed: base ^ salt ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        return mixer.next()
    }
}

/// The usage file every mutation starts from: valid under `FuzzCorpus.agreements`, two partners
/// (USD with revenue tiers; JPY per million tokens), two periods, every optional column.
private enum FuzzCorpus {
    static let agreements = """
        partners:
          - id: aws
            name: Amazon Web Services
            currency: USD
            payment_terms_days: 45
            agreements:
              - id: AWS-2024
                effective_from: 2024-07
                basis: revenue_percent
                tiers:
                  - up_to: 1000000
                    rate: 0.10
                  - rate: 0.12
          - id: groq
            name: Groq
            currency: JPY
            payment_terms_days: 30
            agreements:
              - id: GROQ-1
                effective_from: 2024-10
                basis: per_million_tokens
                prices:
                  default: {input: 5, output: 10}

        """

    static let header = "usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue,currency,reported_share"
    static let columns = header.split(separator: ",").map(String.init)

    static let rows: [[String]] = {
        var rows: [[String]] = []
        let models = ["llama-3.1-70b-instruct", "llama-3.1-8b-instruct", "llama-3.3-70b-instruct"]
        for (p, partner) in ["aws", "groq"].enumerated() {
            for month in ["2025-01", "2025-02"] {
                for day in 1...4 {
                    for (m, model) in models.enumerated() {
                        let n = p * 100 + day * 10 + m
                        rows.append([
                            "\(month)-0\(day)", partner, model, m == 2 ? "" : "us-east-\(m + 1)", "\(n * 7 + 1)",
                            "\(n * 1_000 + 17)", "\(n * 500 + 3)", "\(n).\(String(format: "%06d", n * 1_234 % 1_000_000))",
                            partner == "aws" ? "USD" : (day == 2 ? "" : "JPY"), day == 3 ? "" : "\(n / 10).5",
                        ])
                    }
                }
            }
        }
        return rows
    }()

    static func text(_ rows: [[String]], header: String = header, lineEnd: String = "\n") -> [UInt8] {
        Array(([header] + rows.map { $0.joined(separator: ",") }).map { $0 + lineEnd }.joined().utf8)
    }

    static var valid: [UInt8] { text(rows) }
}

/// One way to break (or bend) a usage file.
private enum Mutation: String, CaseIterable {
    case byteFlips, truncation, strayQuote, nulBytes, invalidUTF8, hugeField, manyColumns, int64Bounds,
         negativeZero, whitespaceAroundNumbers, lineEndings, headerChanges, duplicateOrShuffledLines,
         quotedFields, overflowingSums, controlCharactersInText, mixed

    /// Applies the mutation; returns the bytes and a description of what was done, for messages.
    func apply(_ random: inout FuzzRandom) -> (bytes: [UInt8], description: String) {
        var rows = FuzzCorpus.rows
        let column = { (name: String) in FuzzCorpus.columns.firstIndex(of: name)! }
        let numeric = ["requests", "input_tokens", "output_tokens", "gross_revenue", "reported_share"]
        switch self {
        case .byteFlips:
            var bytes = FuzzCorpus.valid
            let flips = 1 + random.below(8)
            var at: [Int] = []
            for _ in 0..<flips {
                let i = random.below(bytes.count)
                bytes[i] ^= UInt8(truncatingIfNeeded: 1 + random.below(255))
                at.append(i)
            }
            return (bytes, "\(flips) byte flips at \(at)")
        case .truncation:
            let bytes = FuzzCorpus.valid
            let cut = random.below(bytes.count)
            return (Array(bytes[..<cut]), "truncated to \(cut) of \(bytes.count) bytes")
        case .strayQuote:
            var bytes = FuzzCorpus.valid
            let count = 1 + random.below(3)
            var at: [Int] = []
            for _ in 0..<count {
                let i = random.below(bytes.count + 1)
                bytes.insert(UInt8(ascii: "\""), at: i)
                at.append(i)
            }
            return (bytes, "stray quotes inserted at \(at)")
        case .nulBytes:
            var bytes = FuzzCorpus.valid
            let count = 1 + random.below(4)
            var at: [Int] = []
            for _ in 0..<count {
                let i = random.below(bytes.count + 1)
                if random.chance(50) { bytes.insert(0, at: i) } else if i < bytes.count { bytes[i] = 0 }
                at.append(i)
            }
            return (bytes, "NUL bytes at \(at)")
        case .invalidUTF8:
            let sequences: [[UInt8]] = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                                        [0xE2, 0x82], [0x80], [0xEF, 0xBB, 0xBF]]
            let row = random.below(rows.count), col = random.below(FuzzCorpus.columns.count)
            let bad = random.pick(sequences)
            var bytes = FuzzCorpus.text(Array(rows[..<row]))
            var fields = rows[row].map { Array($0.utf8) }
            fields[col].insert(contentsOf: bad, at: random.below(fields[col].count + 1))
            bytes += Array(fields.joined(separator: [UInt8(ascii: ",")])) + [UInt8(ascii: "\n")]
            bytes += FuzzCorpus.text(Array(rows[(row + 1)...])).dropFirst(FuzzCorpus.header.utf8.count + 1)
            return (bytes, "invalid UTF-8 \(bad) in row \(row + 2) column \(FuzzCorpus.columns[col])")
        case .hugeField:
            // At the 1 MiB field limit, one byte over it, and far below it; quoted or not.
            let size = random.pick([1 << 20, (1 << 20) + 1, (1 << 20) - 1, 300_000])
            let col = random.below(FuzzCorpus.columns.count), row = random.below(rows.count)
            let filler = String(repeating: random.pick(["a", "9", " ", "é"]), count: size / (random.chance(20) ? 2 : 1))
            rows[row][col] = random.chance(30) ? "\"\(filler)\"" : filler
            return (FuzzCorpus.text(rows), "a field of \(filler.utf8.count) bytes in row \(row + 2) column \(FuzzCorpus.columns[col])")
        case .manyColumns:
            let count = random.pick([10_000, 1_024, 1_025, 5_000])
            let extra = (0..<(count - FuzzCorpus.columns.count)).map { "x\($0)" }
            if random.chance(50) {
                let header = ([FuzzCorpus.header] + extra).joined(separator: ",")
                let padded = rows.map { $0 + extra.map { _ in "" } }
                return (FuzzCorpus.text(padded, header: header), "\(count) columns in every record")
            }
            let row = random.below(rows.count)
            rows[row] += extra
            return (FuzzCorpus.text(rows), "\(count) columns in row \(row + 2) only")
        case .int64Bounds:
            let values = ["9223372036854775807", "9223372036854775808", "9223372036854775806", "-9223372036854775808",
                          "-9223372036854775809", "18446744073709551615", "18446744073709551616", "0", "-1",
                          "9223372036854.775807", "9223372036854.775808", "9223372036854.775806", "0.000001",
                          "99999999999999999999999999999", "00000000000000000000000000001"]
            var changes: [String] = []
            for _ in 0..<(1 + random.below(3)) {
                let row = random.below(rows.count), name = random.pick(numeric), value = random.pick(values)
                rows[row][column(name)] = value
                changes.append("row \(row + 2) \(name)=\(value)")
            }
            return (FuzzCorpus.text(rows), "Int64 bounds: \(changes.joined(separator: "; "))")
        case .negativeZero:
            let values = ["-0", "-0.0", "-0.000000", "-00", "0.0", "-0.0000001", "+0", "-"]
            let row = random.below(rows.count), name = random.pick(numeric), value = random.pick(values)
            rows[row][column(name)] = value
            return (FuzzCorpus.text(rows), "row \(row + 2) \(name)=\(value)")
        case .whitespaceAroundNumbers:
            let row = random.below(rows.count), name = random.pick(numeric)
            let original = rows[row][column(name)].isEmpty ? "1" : rows[row][column(name)]
            let pad = random.pick([" ", "\t", "  ", "\u{A0}", "\u{3000}"])
            let value = random.pick([pad + original, original + pad, pad + original + pad, "\"\(pad)\(original)\""])
            rows[row][column(name)] = value
            return (FuzzCorpus.text(rows), "row \(row + 2) \(name)=\(value.debugDescription)")
        case .lineEndings:
            let choice = random.below(4)
            switch choice {
            case 0: return (FuzzCorpus.text(rows, lineEnd: "\r\n"), "CRLF line endings")
            case 1: return (FuzzCorpus.text(rows, lineEnd: "\r"), "bare CR line endings")
            case 2:
                var bytes = FuzzCorpus.valid
                bytes.insert(0x0D, at: random.below(bytes.count))
                return (bytes, "one bare CR")
            default:
                var bytes = FuzzCorpus.valid
                for _ in 0..<(1 + random.below(4)) { bytes.insert(0x0A, at: random.below(bytes.count)) }
                return (bytes, "extra line feeds")
            }
        case .headerChanges:
            var names = FuzzCorpus.columns
            let choice = random.below(5)
            let i = random.below(names.count)
            let description: String
            switch choice {
            case 0: description = "header without \(names.remove(at: i))"
                rows = rows.map { var r = $0; r.remove(at: i); return r }
            case 1: names[i] = " \(names[i].uppercased()) "; description = "header name \(names[i].debugDescription)"
            case 2: names.append(names[i]); rows = rows.map { $0 + [$0[i]] }; description = "duplicate column \(names[i])"
            case 3: names = names.shuffledDeterministically(&random)
                description = "header shuffled (rows not): \(names.joined(separator: ","))"
            default: return (Array("\u{FEFF}".utf8) + FuzzCorpus.valid + Array("\u{FEFF}".utf8), "BOM at the start and the end")
            }
            return (FuzzCorpus.text(rows, header: names.joined(separator: ",")), description)
        case .duplicateOrShuffledLines:
            if random.chance(50) {
                let row = random.below(rows.count)
                rows.insert(rows[row], at: random.below(rows.count + 1))
                return (FuzzCorpus.text(rows), "row \(row + 2) twice")
            }
            return (FuzzCorpus.text(rows.shuffledDeterministically(&random)), "rows shuffled")
        case .quotedFields:
            var changes: [String] = []
            for _ in 0..<(1 + random.below(4)) {
                let row = random.below(rows.count), col = random.below(FuzzCorpus.columns.count)
                let value = random.pick(["\"\(rows[row][col])\"", "\"\(rows[row][col])\"\"\"", "\"a,b\"",
                                         "\"line\nbreak\"", "\"\"", "\"unterminated"])
                rows[row][col] = value
                changes.append("row \(row + 2) \(FuzzCorpus.columns[col])=\(value.debugDescription)")
            }
            return (FuzzCorpus.text(rows), changes.joined(separator: "; "))
        case .overflowingSums:
            let name = random.pick(["requests", "input_tokens", "output_tokens"])
            for row in rows.indices where rows[row][1] == "aws" && rows[row][0].hasPrefix("2025-01") {
                rows[row][column(name)] = "9223372036854775807"
            }
            if random.chance(50) {
                for row in rows.indices where rows[row][1] == "aws" && rows[row][0].hasPrefix("2025-01") {
                    rows[row][column("gross_revenue")] = "9223372036854.775807"
                }
            }
            return (FuzzCorpus.text(rows), "every aws 2025-01 row has \(name) = Int64.max: the report's sum overflows")
        case .controlCharactersInText:
            // NUL, ESC, BEL, DEL, VT inside model or region: two rows of one day whose models differ only
            // after the control character are the sharpest case (same prefix, different names).
            let control = random.pick(["\u{0}", "\u{1B}[2J", "\u{7}", "\u{7F}", "\u{B}"])
            let name = random.pick(["model", "region"])
            let row = random.below(rows.count - 1)
            rows[row][column(name)] += control + "a"
            if random.chance(50), rows[row + 1][1] == rows[row][1], rows[row + 1][0] == rows[row][0] {
                rows[row + 1][column(name)] = rows[row][column(name)].replacingOccurrences(of: control + "a", with: control + "b")
            }
            return (FuzzCorpus.text(rows), "\(control.debugDescription) in \(name) of row \(row + 2) (and maybe the next)")
        case .mixed:
            let first = random.pick(Mutation.allCases.filter { $0 != .mixed && $0 != .truncation })
            var (bytes, description) = first.apply(&random)
            var parts = [description]
            for _ in 0..<(1 + random.below(3)) where !bytes.isEmpty {
                let i = random.below(bytes.count)
                switch random.below(3) {
                case 0: bytes[i] ^= 0x20; parts.append("flip at \(i)")
                case 1: bytes.remove(at: i); parts.append("delete at \(i)")
                default: bytes.insert(random.pick([0x22, 0x2C, 0x0A, 0x00, 0xFF, 0x2D]), at: i); parts.append("insert at \(i)")
                }
            }
            description = "mixed: " + parts.joined(separator: "; ")
            return (bytes, description)
        }
    }
}

extension Array {
    fileprivate func shuffledDeterministically(_ random: inout FuzzRandom) -> [Element] {
        var items = self
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, random.below(i + 1)) }
        return items
    }
}

/// What an import may change, read through the library's public API.
private struct Footprint: Equatable, CustomStringConvertible {
    let files: Int
    let entries: Int
    let rowsByPeriodAndPartner: [String]

    init(_ store: Store) throws {
        (files, entries, rowsByPeriodAndPartner) = try store.read("footprint") { context in
            (try context.importedFiles().count, try context.entryCount(),
             try context.periodOverview().flatMap { summary in
                 summary.partners.map { "\(summary.period) \($0.partnerID) \($0.rows) \($0.grossRevenueMicros)" }
             })
        }
    }

    var description: String { "files \(files), entries \(entries), reports \(rowsByPeriodAndPartner)" }
}

@Suite("Fuzz: hostile usage files", .timeLimit(.minutes(1)))  // per test case: a hang fails the case
struct FuzzTests {
    fileprivate static let mutations = Mutation.allCases

    @Test("a mutated usage file imports or is refused as invalid input, and a refusal writes nothing",
          arguments: Array(0..<FuzzSeed.importCases))
    func mutatedUsageImport(caseIndex: Int) throws {
        let seed = FuzzSeed.forCase(caseIndex, salt: 0x1A)
        var random = FuzzRandom(seed: seed)
        let mutation = Self.mutations[caseIndex % Self.mutations.count]
        let (bytes, description) = mutation.apply(&random)
        let label = "case \(caseIndex) (base seed \(FuzzSeed.base), \(mutation.rawValue)): \(description)"

        let (store, directory) = try makeTestStore("fuzz")
        defer { directory.remove() }
        _ = try AgreementLoader.load(Array(FuzzCorpus.agreements.utf8), fileName: "agreements.yaml", into: store)
        let path = directory.file("usage.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let before = try Footprint(store)

        do {
            let summary = try UsageImporter.run(InputFile(argument: path), restate: false, store: store)
            let after = try Footprint(store)
            switch summary.outcome {
            case .imported:
                #expect(after.files == before.files + 1, "\(label): imported, but the import record is missing")
                let stored = after.rowsByPeriodAndPartner.compactMap { Int64($0.split(separator: " ")[2]) }.reduce(0, +)
                #expect(stored == Int64(summary.rows), "\(label): \(summary.rows) rows imported, \(stored) stored")
            case .noRows, .alreadyImported:
                #expect(after == before, "\(label): a no-op import changed the database")
            }
            let report = try store.read("verify") { try $0.verify() }
            #expect(report.passed, "\(label): verify fails after the import: \(report.problems)")
            if case .imported = summary.outcome {
                // A NUL or other control character inside a text field is refused at import, so
                // every model is read back exactly as the file wrote it.
                let unreadable = try modelsReadBackWrongly(bytes, store)
                #expect(unreadable.isEmpty, "\(label): models read back differently from the file: \(unreadable)")
            }
            FuzzSeed.log(caseIndex, mutation.rawValue, "imported \(summary.rows) rows (\(summary.outcome))")
        } catch let failure as RevShareFailure where failure.category == .invalidInput {
            #expect(!failure.diagnostics.isEmpty, "\(label): refused without a message")
            let after = try Footprint(store)
            #expect(after == before, "\(label): refused, but the database changed: \(before) → \(after)")
            FuzzSeed.log(caseIndex, mutation.rawValue, "refused: \(failure.diagnostics.first ?? "")")
        } catch {
            Issue.record("\(label): ended with \(type(of: error)) instead of success or InvalidInput: \(error)")
        }
    }

    @Test("the CSV reader ends every mutated input with records or a CSVError, within its limits",
          arguments: Array(0..<FuzzSeed.readerCases))
    func mutatedCSVReader(caseIndex: Int) throws {
        let seed = FuzzSeed.forCase(caseIndex, salt: 0x2B)
        var random = FuzzRandom(seed: seed)
        let mutation = Self.mutations[caseIndex % Self.mutations.count]
        let (bytes, description) = mutation.apply(&random)
        let limits = random.chance(50) ? CSVLimits.default
            : CSVLimits(maxFieldBytes: 1 + random.below(4096), maxRecordBytes: 1 + random.below(16_384),
                        maxFieldsPerRecord: 1 + random.below(64))
        let chunk = random.pick([1, 2, 3, 7, 64, 4096, 256 * 1024])
        let readSize = random.pick([1, 5, 1000, Int.max])
        let label = "case \(caseIndex) (base seed \(FuzzSeed.base), \(mutation.rawValue), chunk \(chunk), read \(readSize)): \(description)"

        var reader = CSVReader(source: BytesByteSource(bytes, maxReadSize: readSize), limits: limits, chunkSize: chunk)
        var record = CSVRecord()
        var records = 0, lastLine = 0, contentBytes = 0
        var failure: CSVError?
        do throws(CSVError) {
            while try reader.next(into: &record) {
                records += 1
                #expect(record.line >= lastLine, "\(label): line numbers go back from \(lastLine) to \(record.line)")
                lastLine = record.line
                #expect(record.fieldCount >= 1 && record.fieldCount <= limits.maxFieldsPerRecord, "\(label)")
                var total = 0
                for i in 0..<record.fieldCount {
                    #expect(record.byteCount(i) <= limits.maxFieldBytes, "\(label): field over the limit")
                    total += record.byteCount(i)
                }
                #expect(total <= limits.maxRecordBytes, "\(label): record over the limit")
                contentBytes += total
                if records > bytes.count + 1 {
                    Issue.record("\(label): more records than input bytes")
                    break
                }
            }
        } catch {
            failure = error
        }
        if let failure {
            #expect(failure.line >= 1, "\(label): error on line \(failure.line)")
        } else {
            #expect(contentBytes <= bytes.count, "\(label): more field bytes than input bytes")
        }
        let more = (try? reader.next(into: &record)) ?? true
        #expect(!more, "\(label): records (or a second error) after the end")
        #expect(reader.bytesRead <= bytes.count, "\(label): read \(reader.bytesRead) of \(bytes.count) bytes")
    }

    @Test("ScaledDecimal.parse and parseCount agree with a reference on seeded strings")
    func decimalParserAgainstOracle() {
        var random = FuzzRandom(seed: FuzzSeed.forCase(0, salt: 0x3C))
        let alphabet: [Character] = ["0", "1", "5", "9", "-", ".", "0", "9", "+", "e", " ", "0"]
        for index in 0..<5_000 {
            var text = String((0..<random.below(24)).map { _ in random.pick(alphabet) })
            if random.chance(20) { text = random.pick(["9223372036854775807", "9223372036854775808", "-9223372036854775808",
                                                       "-9223372036854775809", "9223372036854.775807", "-0", "0.000000"]) }
            let scale = random.below(19)
            let allowNegative = random.chance(50)
            let expected = ReferenceDecimal.parse(text, scale: scale, allowNegative: allowNegative)
            let actual = ScaledDecimal.parse(text, scale: scale, allowNegative: allowNegative)
            #expect(actual == expected, "#\(index): parse(\(text.debugDescription), scale: \(scale), allowNegative: \(allowNegative))")
            let count = ScaledDecimal.parseCount(text), expectedCount = ReferenceDecimal.parseCount(text)
            #expect(count == expectedCount, "#\(index): parseCount(\(text.debugDescription))")
        }
    }
}

/// The models of the imported reports, as the store reads them back, that are not exactly a model
/// of the file or that come back more than once in one report.
private func modelsReadBackWrongly(_ bytes: [UInt8], _ store: Store) throws -> [String] {
    var reader = CSVReader(source: BytesByteSource(bytes))
    var record = CSVRecord()
    guard (try? reader.next(into: &record)) == true,
          let modelColumn = (0..<record.fieldCount).first(where: {
              record.string($0)?.trimmingCharacters(in: .whitespaces).lowercased() == "model"
          })
    else { return [] }
    var models = Set<[UInt8]>()
    while (try? reader.next(into: &record)) == true, modelColumn < record.fieldCount {
        models.insert(Array(record.bytes(modelColumn)))
    }
    return try store.read("models") { context in
        var wrong: [String] = []
        for summary in try context.periodOverview() {
            for partner in summary.partners {
                guard let current = try context.currentUsageReport(partnerID: partner.partnerID, period: summary.period)
                else { continue }
                let names = try context.modelTotals(reportID: current.reportID).map(\.model)
                wrong += names.filter { !models.contains(Array($0.utf8)) }
                wrong += Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.map { "\($0.key) twice" }
            }
        }
        return wrong
    }
}

/// A slow, obvious reference for the decimal grammar (README "Choices"): `-?D+(.D+)?`, digits on both
/// sides of the point, at most `scale` fractional digits, the value × 10^scale within Int64; a
/// minus sign before zero digits only is zero, allowed everywhere.
private enum ReferenceDecimal {
    static func parse(_ text: String, scale: Int, allowNegative: Bool) -> Result<Int64, ScaledDecimal.ParseError> {
        if text.isEmpty { return .failure(.empty) }
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let isDigits = { (s: String) in !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
        guard isDigits(parts[0]), parts.count == 1 || isDigits(parts[1]) else { return .failure(.notADecimal) }
        let isZero = (parts[0] + (parts.count == 2 ? parts[1] : "")).allSatisfy { $0 == "0" }
        if negative && !isZero && !allowNegative { return .failure(.negativeNotAllowed) }
        let fraction = parts.count == 2 ? parts[1] : ""
        if fraction.count > scale { return .failure(.tooManyFractionDigits(maximum: scale)) }
        let digits = (parts[0] + fraction + String(repeating: "0", count: scale - fraction.count)).drop { $0 == "0" }
        let limit = negative ? "9223372036854775808" : "9223372036854775807"
        if digits.count > limit.count || (digits.count == limit.count && String(digits) > limit) { return .failure(.outOfRange) }
        if digits.isEmpty { return .success(0) }
        if negative && String(digits) == "9223372036854775808" { return .success(Int64.min) }
        let magnitude = Int64(String(digits))!
        return .success(negative ? -magnitude : magnitude)
    }

    static func parseCount(_ text: String) -> Result<Int64, ScaledDecimal.ParseError> {
        if text.isEmpty { return .failure(.empty) }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.notADecimal) }
        let digits = text.drop { $0 == "0" }
        if digits.count > 19 || (digits.count == 19 && String(digits) > "9223372036854775807") { return .failure(.outOfRange) }
        return .success(digits.isEmpty ? 0 : Int64(String(digits))!)
    }
}
