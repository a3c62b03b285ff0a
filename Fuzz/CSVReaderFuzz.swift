// libFuzzer target for the streaming CSV reader (Sources/RevShareImport/CSV), compiled together
// with the reader's own sources by Fuzz/build. Beyond "no crash, no sanitizer report, no hang",
// it checks three properties and traps (a reported crash) when one fails:
//   1. the limits hold: no record has more fields, bytes per field or bytes in total than allowed;
//   2. chunk independence: reading with a 1-byte chunk and 1-byte reads gives exactly the records
//      and the error of reading with the default chunk — chunk boundaries inside quotes, "" pairs,
//      CR LF pairs and the BOM change nothing;
//   3. round trip: records re-written as RFC 4180 (every field quoted, LF endings) read back equal.
// The first input byte picks small limits (so the limit paths are reached by short inputs).

private struct Outcome: Equatable {
    var records: [[[UInt8]]] = []
    var lines: [Int] = []
    var error: CSVError?
}

private func readAll(_ bytes: [UInt8], limits: CSVLimits, chunk: Int, readSize: Int) -> Outcome {
    var reader = CSVReader(source: BytesByteSource(bytes, maxReadSize: readSize), limits: limits, chunkSize: chunk)
    var record = CSVRecord()
    var outcome = Outcome()
    do throws(CSVError) {
        while try reader.next(into: &record) {
            precondition(record.fieldCount >= 1 && record.fieldCount <= limits.maxFieldsPerRecord, "field count over the limit")
            var fields: [[UInt8]] = []
            var total = 0
            for i in 0..<record.fieldCount {
                let field = record.bytes(i)
                precondition(field.count <= limits.maxFieldBytes, "field over the limit")
                total += field.count
                fields.append(Array(field))
            }
            precondition(total <= limits.maxRecordBytes, "record over the limit")
            precondition(record.line >= (outcome.lines.last ?? 1), "line numbers go back")
            outcome.records.append(fields)
            outcome.lines.append(record.line)
            precondition(outcome.records.count <= bytes.count + 1, "more records than bytes")
        }
    } catch {
        precondition(error.line >= 1, "error on line < 1")
        outcome.error = error
    }
    let again = (try? reader.next(into: &record)) ?? true
    precondition(!again, "a record or an error after the end")
    precondition(reader.bytesRead <= bytes.count, "read more bytes than there are")
    return outcome
}

private func quoted(_ records: [[[UInt8]]]) -> [UInt8] {
    var out: [UInt8] = []
    for fields in records {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            for byte in field {
                out.append(byte)
                if byte == UInt8(ascii: "\"") { out.append(byte) }
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "\n"))
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let limits = selector & 1 == 0 ? CSVLimits.default
        : CSVLimits(maxFieldBytes: Int(selector >> 1 & 7) + 1, maxRecordBytes: Int(selector >> 4 & 7) * 3 + 1,
                    maxFieldsPerRecord: Int(selector >> 6) + 1)
    let whole = readAll(bytes, limits: limits, chunk: 256 * 1024, readSize: .max)
    let tiny = readAll(bytes, limits: limits, chunk: 1, readSize: 1)
    precondition(whole == tiny, "chunk size changes the result")
    if whole.error == nil, !whole.records.isEmpty {
        // Quoting adds no content bytes, so the same limits apply; the re-written text starts with
        // a quote, so a first field that begins with BOM bytes is kept as content.
        let reread = readAll(quoted(whole.records), limits: limits, chunk: 7, readSize: 3)
        precondition(reread.error == nil && reread.records == whole.records, "round trip differs")
    }
    return 0
}
