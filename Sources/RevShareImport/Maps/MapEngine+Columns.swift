import RevShareCore

/// Step 4 of SPEC-intake §I3: a kept record becomes one row of the §3.2 columns.
extension MapEngine {
    /// A problem with one value: the label of the column (and target) and the message.
    struct ValueProblem: Error {
        let label: String
        let message: String
    }

    func columns(_ record: CSVRecord) {
        let negated = map.negateWhen.map { holds($0, record, negateCell) } ?? false
        var problems: [ValueProblem] = []
        func collect<T>(_ result: Result<T, ValueProblem>) -> T? {
            switch result {
            case .success(let value): return value
            case .failure(let problem):
                problems.append(problem)
                return nil
            }
        }
        let date = collect(usageDate(record))
        let partner = collect(partnerSlot(record))
        let model = collect(text(.model, record))
        let region = collect(text(.region, record))
        let currency = partner.flatMap { collect(currencyValue(record, partners[$0])) } ?? nil
        var numbers: [Int128?] = []
        var sources: [Int128?] = []
        for target in MapTarget.numeric {
            let value = collect(number(target, record, negated: negated))
            numbers.append(value?.value)
            sources.append(value?.source)
        }
        let resolved = partner.flatMap { slot in model.map { resolve($0, partners[slot]) } } ?? nil
        if let partner, let model, resolved == nil {
            unmapped(partner, model, record.line, revenue: numbers[3] ?? 0)
        }
        for problem in problems { error(record.line, problem.label, problem.message) }
        guard problems.isEmpty, let date, let partner, let resolved, let region else { return }
        intake.rowsUsed += 1
        for (slot, target) in MapTarget.numeric.enumerated() {
            guard let source = sources[slot] else { continue }
            sourceTotals[target, default: 0] += source
        }
        let grainDate = map.grain == .month ? CivilDate(year: date.year, month: date.month, day: 1)! : date
        aggregate(RowKey(partner: partner, date: grainDate, model: ExactText(resolved), region: ExactText(region)),
                  line: record.line, numbers: numbers, currency: currency)
    }

    // MARK: Text values

    /// The rule's text before any checks: the cell (or its default), or the const; then `extract`.
    func rawText(_ target: MapTarget, _ record: CSVRecord) -> Result<String, ValueProblem> {
        guard let bound = rules[target] else { return .success("") }
        switch bound.rule.source {
        case .constant(let text): return .success(text)
        case .fileName: return .success("")
        case .column:
            if bound.cell?.index == nil { return .success("") }
            var text = withCell(record, bound.cell) { String(decoding: $0, as: UTF8.self) }
            if text.isEmpty, let fallback = bound.rule.defaultValue { text = fallback }
            guard let extract = bound.rule.extract else { return .success(text) }
            guard let group = extract.firstGroup(in: text) else {
                return .failure(ValueProblem(label: bound.label, message: "\(MapValueRules.quoted(text)) does not match the extract pattern"))
            }
            return .success(group)
        }
    }

    /// A model (before resolution) or region, checked as §3.2 checks it.
    func text(_ target: MapTarget, _ record: CSVRecord) -> Result<String, ValueProblem> {
        rawText(target, record).flatMap { text in
            var copy = text
            let checked = copy.withUTF8 { MapValueRules.text(UnsafeRawBufferPointer($0), target) }
            if case .failure(let problem) = checked {
                return .failure(ValueProblem(label: rules[target]?.label ?? target.rawValue, message: problem.message))
            }
            return .success(text)
        }
    }

    func partnerSlot(_ record: CSVRecord) -> Result<Int, ValueProblem> {
        let label = rules[.partner]?.label ?? "partner"
        return rawText(.partner, record).flatMap { id in
            if id.isEmpty { return .failure(ValueProblem(label: label, message: "empty value")) }
            guard let slot = partnerIndex[ExactText(id)] else {
                let known = partners.prefix(20).map(\.id).joined(separator: ", ")
                return .failure(ValueProblem(label: label, message: "\(MapValueRules.quoted(id)) is not a loaded partner (loaded: \(known.isEmpty ? "none; run `revshare agreements load`" : known))"))
            }
            return .success(slot)
        }
    }

    func currencyValue(_ record: CSVRecord, _ partner: Partner) -> Result<String?, ValueProblem> {
        guard rules[.currency] != nil else { return .success(nil) }
        return rawText(.currency, record).flatMap { code in
            if code.isEmpty || code.isByteIdentical(to: partner.currency.code) { return .success(partner.currency.code) }
            return .failure(ValueProblem(label: rules[.currency]!.label, message: "\(MapValueRules.quoted(code)) is not the partner's currency \(partner.currency.code)"))
        }
    }

    func usageDate(_ record: CSVRecord) -> Result<CivilDate, ValueProblem> {
        guard let bound = rules[.usageDate] else { return .failure(ValueProblem(label: "usage_date", message: "empty value")) }
        switch bound.rule.source {
        case .fileName:
            guard let fileDate else { return .failure(ValueProblem(label: bound.label, message: "no period from the file name")) }
            return .success(fileDate)
        case .constant(let text):
            return .success(CivilDate(text)!)
        case .column:
            return withCell(record, bound.cell) { cell in
                var bytes = Array(cell)
                if bytes.isEmpty, let fallback = bound.rule.defaultValue { bytes = Array(fallback.utf8) }
                if bytes.isEmpty { return .failure(ValueProblem(label: bound.label, message: "empty value")) }
                let read = bytes.withUnsafeBytes { bound.rule.format.read($0) }
                guard let read else {
                    return .failure(ValueProblem(label: bound.label, message: "\(bytes.withUnsafeBytes { MapValueRules.quoted($0) }) is not a date in the format \"\(bound.rule.format.text)\""))
                }
                return .success(read.date)
            }
        }
    }

    // MARK: Numbers

    /// The target's value in pico-units (nil: no reported share) and the cell as written, in
    /// control-total units (nil: not read from a column).
    func number(_ target: MapTarget, _ record: CSVRecord, negated: Bool) -> Result<(value: Int128?, source: Int128?), ValueProblem> {
        guard let bound = rules[target] else { return .success((nil, nil)) }
        if let when = bound.rule.when, !holds(when, record, bound.when) { return .success((0, nil)) }
        var bytes: [UInt8]
        switch bound.rule.source {
        case .constant(let text): bytes = Array(text.utf8)
        case .fileName: bytes = []
        case .column: bytes = withCell(record, bound.cell) { Array($0) }
        }
        if bytes.isEmpty, let fallback = bound.rule.defaultValue { bytes = Array(fallback.utf8) }
        if bytes.isEmpty && target == .reportedShare { return .success((nil, nil)) }
        let shown = bytes.withUnsafeBytes { MapValueRules.quoted($0) }
        let decimal: MapDecimal
        switch bytes.withUnsafeBytes({ MapDecimal.parse($0) }) {
        case .success(let parsed): decimal = parsed
        case .failure(.notADecimal): return .failure(ValueProblem(label: bound.label, message: "\(shown) \(MapValueRules.NumberProblem.notADecimal.message)"))
        case .failure(.tooManyDigits): return .failure(ValueProblem(label: bound.label, message: "\(shown) \(MapValueRules.NumberProblem.tooManyDigits.message)"))
        }
        switch MapValueRules.number(decimal, target: target, rule: bound.rule, negated: negated) {
        case .failure(let problem): return .failure(ValueProblem(label: bound.label, message: "\(shown) \(problem.message)"))
        case .success(let value):
            guard bound.rule.column != nil else { return .success((value, nil)) }
            guard let source = decimal.sourceUnits else {
                return .failure(ValueProblem(label: bound.label, message: "\(shown) has more than \(MapDecimal.sourceScale) fractional digits"))
            }
            return .success((value, source))
        }
    }

    // MARK: Models

    /// The agreement model id: the rule's own `map`, then the partner's `model_aliases` (SPEC-intake §I5).
    func resolve(_ value: String, _ partner: Partner) -> String? {
        guard let rule = rules[.model]?.rule else { return value }
        if let model = rule.table?[ExactText(value)] { return model }
        if rule.aliases, let model = partner.modelAliases[ExactText(value)] { return model }
        return rule.table == nil && !rule.aliases ? value : nil
    }

    func unmapped(_ partner: Int, _ value: String, _ line: Int, revenue: Int128) {
        let key = UnmappedKey(partner: partner, value: ExactText(value))
        if unmapped[key] == nil {
            guard unmapped.count < Self.maximumUnmappedValues else {
                if !stopped { fileError("model", "more than \(Self.maximumUnmappedValues) distinct unmapped values; map them or split the file") }
                stopped = true
                return
            }
            unmapped[key] = MapIntake.UnmappedValue(partnerID: partners[partner].id, value: value, rows: 0, firstLine: line, grossRevenueMicros: 0)
        }
        unmapped[key]!.rows += 1
        unmappedPicos[key, default: 0] += revenue
    }
}
