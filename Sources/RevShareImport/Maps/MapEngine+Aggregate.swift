import RevShareCore

/// Steps 5–7 of SPEC-intake §I3: sum per key, round once per row, check, and total.
extension MapEngine {
    func aggregate(_ key: RowKey, line: Int, numbers: [Int128?], currency: String?) {
        if aggregates[key] == nil {
            guard aggregates.count < Self.maximumRows else {
                fileError("key", "more than \(Self.maximumRows) distinct rows; split the file")
                stopped = true
                return
            }
            aggregates[key] = Aggregate(firstLine: line, currency: currency)
        }
        aggregates[key]!.add(numbers)
    }

    /// The aggregated rows in order of their first line, the unmapped values and the totals.
    func finish() {
        var rounded = Array(repeating: 0, count: MapTarget.numeric.count)
        var targets = Array(repeating: Int128(0), count: MapTarget.numeric.count)
        for (key, sums) in aggregates.sorted(by: { $0.value.firstLine < $1.value.firstLine }) {
            guard let row = row(key, sums, rounded: &rounded) else { continue }
            let values = [row.requests, row.inputTokens, row.outputTokens, row.grossRevenueMicros, row.reportedShareMicros ?? 0]
            for slot in values.indices { targets[slot] += Int128(values[slot]) }
            intake.rows.append(row)
        }
        intake.unmapped = unmapped.map { key, value in
            var value = value
            value.grossRevenueMicros = Int64(clamping: money(unmappedPicos[key] ?? 0, round: true).micros)
            return value
        }.sorted { $0.firstLine < $1.firstLine }
        intake.controlTotals = MapTarget.numeric.enumerated().compactMap { slot, target in
            guard let bound = rules[target] else { return nil }
            let from = bound.cell?.index.map { header.names[$0] } ?? bound.rule.column
            return MapIntake.ControlTotal(column: target, from: from, source: from == nil ? nil : sourceTotals[target] ?? 0,
                                          target: targets[slot], rounded: rounded[slot])
        }
    }

    /// Pico-units to micro-units: rounded half to even with `round`, else exact (values were checked).
    private func money(_ picos: Int128, round: Bool) -> (micros: Int128, changed: Bool) {
        let micros = round ? HalfEven.rescale(picos, fromScale: MapDecimal.targetScale, toScale: 6) : picos / 1_000_000
        return (micros, micros * 1_000_000 != picos)
    }

    private func row(_ key: RowKey, _ sums: Aggregate, rounded: inout [Int]) -> MapIntake.Row? {
        let partner = partners[key.partner]
        let keyText = [partner.id, key.date.description, key.model.string, key.region.string]
            .map { $0.isEmpty ? "\"\"" : FieldRules.escaped($0, quotes: false) }.joined(separator: ", ")
        var values: [Int64] = []
        var valid = true
        for (slot, target) in MapTarget.numeric.enumerated() {
            let label = rules[target]?.label ?? target.rawValue
            var value: Int128
            if target.isInteger {
                value = sums.sums[slot] / MapDecimal.power(MapDecimal.targetScale)
            } else {
                let result = money(sums.sums[slot], round: rules[target]?.rule.round ?? false)
                if result.changed { rounded[slot] += 1 }
                value = result.micros
            }
            let shown = target.isInteger ? String(value) : ScaledDecimal.format(value, scale: 6)
            if sums.overflowed || value > Int128(Int64.max) || value < Int128(Int64.min) {
                error(sums.firstLine, label, "the sum for key (\(keyText)) is out of range (signed 64 bits)")
                valid = false
                value = 0
            } else if value < 0 && !allowNegative {
                error(sums.firstLine, label, "the sum for key (\(keyText)) is negative: \(shown)")
                valid = false
            }
            values.append(Int64(clamping: value))
        }
        guard valid else { return nil }
        return MapIntake.Row(firstLine: sums.firstLine, sourceRows: sums.sourceRows, usageDate: key.date, partnerID: partner.id,
                             model: key.model.string, region: key.region.string, requests: values[0], inputTokens: values[1],
                             outputTokens: values[2], grossRevenueMicros: values[3],
                             reportedShareMicros: sums.hasShare ? values[4] : nil, currency: sums.currency)
    }
}
