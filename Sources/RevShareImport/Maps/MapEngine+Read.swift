import RevShareCore

/// Steps 1–3 of SPEC-intake §I3: read, bind the header, dedupe, filter.
extension MapEngine {
    /// Reads the whole source; returns its SHA-256. Problems are collected (`failure`).
    func read(bytesRead progress: ((Int) -> Void)? = nil) throws -> String {
        let digest = MapDigest()
        var reader = CSVReader(source: ObservedByteSource(try file.open()) { digest.sha.update($0) }, separator: map.separator)
        var record = CSVRecord()
        do {
            let found = try reader.next(into: &record)
            header = found ? CSVHeader(record) : CSVHeader(line: 1, names: [])
        } catch {
            self.error(error.line, "csv", error.message)
            return ""
        }
        bind()
        guard errorCount == 0 else { return "" }
        var winners: [[[UInt8]]: (latest: MapDateFormat.DateTime, record: CSVRecord)] = [:]
        do {
            while !stopped, try reader.next(into: &record) {
                intake.rowsRead += 1
                if intake.rowsRead % 65_536 == 0 { progress?(reader.bytesRead) }
                guard record.fieldCount == header.count else {
                    error(record.line, "record", "has \(record.fieldCount) field\(record.fieldCount == 1 ? "" : "s") but the header has \(header.count)")
                    continue
                }
                if map.dedupe != nil {
                    keep(record, in: &winners)
                } else {
                    use(record)
                }
            }
        } catch {
            self.error(error.line, "csv", error.message)
            return ""
        }
        for winner in winners.values.sorted(by: { $0.record.line < $1.record.line }) where !stopped { use(winner.record) }
        finish()
        return digest.sha.finalizeHex()
    }

    // MARK: Header

    private func bind() {
        if let dedupe = map.dedupe {
            dedupeCells = (dedupe.key.map { bind($0, role: "dedupe", optional: false) }, bind(dedupe.latest, role: "dedupe", optional: false))
        }
        filterCells = map.filters.map { bind($0.condition.column, role: "filter \($0.name)", optional: false) }
        negateCell = map.negateWhen.flatMap { bind($0.column, role: "negate_when", optional: false) }
        for target in MapTarget.allCases {
            guard let rule = map.columns[target] else { continue }
            let when = rule.when.flatMap { bind($0.column, role: "when -> \(target.rawValue)", optional: false) }
            let cell = rule.column.flatMap { bind($0, role: "-> \(target.rawValue)", optional: rule.optional) }
            let label = cell.map(\.label) ?? rule.column.map { "\($0) (-> \(target.rawValue))" } ?? target.rawValue
            rules[target] = BoundRule(rule: rule, cell: cell, when: when, label: label)
        }
        intake.unusedColumns = header.unknownColumns(known: readColumns)
        bindFileName()
    }

    /// The column's place in the header, checked once (the first role that reads it names a
    /// missing or repeated column); each role's messages name that role.
    private func bind(_ column: String, role: String, optional: Bool) -> Bound? {
        let key = CSVHeader.key(column)
        if let known = bindings[key] {
            guard let known else { return nil }
            return Bound(index: known.index, label: "\(known.index.map { header.names[$0] } ?? column) (\(role))")
        }
        readColumns.append(column)
        guard let index = header.index(of: column) else {
            if optional {
                intake.absentColumns.append(column)
                let absent = Bound(index: nil, label: "\(column) (\(role))")
                bindings[key] = absent
                return absent
            }
            error(header.line, "\(column) (\(role))", "required column is missing")
            bindings[key] = .some(nil)
            return nil
        }
        let bound = Bound(index: index, label: "\(header.names[index]) (\(role))")
        if header.duplicates.contains(where: { CSVHeader.key($0.name) == key }) {
            error(header.line, bound.label, "column named twice in the header")
        }
        bindings[key] = bound
        return bound
    }

    /// `filename`: the usage month from the text after the last `/` of the path as given.
    private func bindFileName() {
        guard case .fileName(let regex) = map.columns[.usageDate]?.source else { return }
        guard !file.isStandardInput else {
            fileError("usage_date", "standard input has no file name to take the period from")
            return
        }
        let base = String(file.displayName.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        guard let groups = regex.groups(in: base), groups.count == 2 else {
            fileError("usage_date", "file name \(MapValueRules.quoted(base)) does not match the filename pattern")
            return
        }
        guard groups[0].utf8.count == 4, groups[1].utf8.count == 2, let year = Int(groups[0]), let month = Int(groups[1]),
              let date = CivilDate(year: year, month: month, day: 1) else {
            fileError("usage_date", "file name \(MapValueRules.quoted(base)) gives no year (4 digits) and month (01-12) in the filename pattern's groups")
            return
        }
        fileDate = date
    }

    // MARK: Dedupe and filters

    /// Keeps the version with the greatest `latest` value per key; the others are deduplicated.
    private func keep(_ record: CSVRecord, in winners: inout [[[UInt8]]: (latest: MapDateFormat.DateTime, record: CSVRecord)]) {
        guard let dedupe = map.dedupe, let cells = dedupeCells else { return }
        let key = cells.key.map { withCell(record, $0) { Array($0) } }
        guard let latest = withCell(record, cells.latest, { dedupe.format.read($0) }) else {
            let shown = withCell(record, cells.latest) { MapValueRules.quoted($0) }
            error(record.line, "\(cells.latest?.label ?? dedupe.latest)", "\(shown) is not a date in the format \"\(dedupe.format.text)\"")
            return
        }
        guard let earlier = winners[key] else {
            guard winners.count < Self.maximumDedupeKeys else {
                fileError("dedupe", "more than \(Self.maximumDedupeKeys) distinct keys; split the file")
                stopped = true
                return
            }
            winners[key] = (latest, Self.compact(record))
            return
        }
        if latest == earlier.latest {
            let values = key.map { $0.isEmpty ? "\"\"" : MapValueRules.quoted(String(decoding: $0, as: UTF8.self)).dropFirst().dropLast().description }
            error(record.line, "\(cells.latest?.label ?? dedupe.latest)", "same value as line \(earlier.record.line) for key (\(values.joined(separator: ", ")))")
            return
        }
        intake.deduplicated += 1
        if latest > earlier.latest { winners[key] = (latest, Self.compact(record)) }
    }

    /// A copy holding only its own bytes: the reader's record keeps a large reusable buffer.
    private static func compact(_ record: CSVRecord) -> CSVRecord {
        CSVRecord(line: record.line, byteFields: (0..<record.fieldCount).map { Array(record.bytes($0)) })
    }

    /// Filters in map order; a record that passes them all goes on to its columns.
    private func use(_ record: CSVRecord) {
        for (slot, filter) in map.filters.enumerated() where !holds(filter.condition, record, filterCells[slot]) {
            intake.skipped[slot].rows += 1
            return
        }
        columns(record)
    }
}

private final class MapDigest {
    var sha = StreamingSHA256()
}
