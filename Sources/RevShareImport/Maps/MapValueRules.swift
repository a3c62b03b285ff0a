import RevShareCore

/// How a cell (or a `const` or `default`) becomes a target's value (SPEC-intake §I4.3, §I4.4):
/// one set of rules for the map parser, which checks `const` and `default`, and for the engine.
enum MapValueRules {
    /// Why a number cannot be a target's value; the message follows the quoted value.
    enum NumberProblem: Error, Equatable {
        case notADecimal, tooManyDigits, notWhole(scale: Int), tooManyFractionDigits(Int), outOfRange

        var message: String {
            switch self {
            case .notADecimal: "is not a decimal"
            case .tooManyDigits: "has more than \(MapDecimal.maximumDigits) digits"
            case .notWhole(0): "is not a whole number"
            case .notWhole(let scale): "is not a whole number after scale \(scale)"
            case .tooManyFractionDigits(let digits): "has more than \(digits) fractional digits"
            case .outOfRange: "is out of range (values and sums stay within signed 64 bits)"
            }
        }
    }

    /// The value in pico-units (10^-12), negated and scaled, checked for its target.
    static func number(_ bytes: UnsafeRawBufferPointer, target: MapTarget, rule: ColumnRule, negated: Bool) -> Result<Int128, NumberProblem> {
        switch MapDecimal.parse(bytes) {
        case .failure(.notADecimal): return .failure(.notADecimal)
        case .failure(.tooManyDigits): return .failure(.tooManyDigits)
        case .success(let decimal): return number(decimal, target: target, rule: rule, negated: negated)
        }
    }

    static func number(_ decimal: MapDecimal, target: MapTarget, rule: ColumnRule, negated: Bool) -> Result<Int128, NumberProblem> {
        let (mantissa, exponent) = decimal.scaled(by: rule.scale, negated: negated)
        let fractionDigits = max(0, -exponent)
        if target.isInteger {
            guard fractionDigits == 0 else { return .failure(.notWhole(scale: rule.scale)) }
        } else {
            let allowed = rule.round ? MapDecimal.targetScale : 6
            guard fractionDigits <= allowed else { return .failure(.tooManyFractionDigits(allowed)) }
        }
        guard let picos = MapDecimal.units(mantissa, exponent: exponent, scale: MapDecimal.targetScale),
              Self.fits(picos, integer: target.isInteger) else { return .failure(.outOfRange) }
        return .success(picos)
    }

    /// Whether a pico-unit value fits signed 64 bits as a count (integer) or in micro-units.
    static func fits(_ picos: Int128, integer: Bool) -> Bool {
        let units = picos / MapDecimal.power(integer ? MapDecimal.targetScale : MapDecimal.targetScale - 6)
        return units >= Int128(Int64.min) && units <= Int128(Int64.max)
    }

    /// What is wrong with `text` as a `const` or `default` of `target`, or nil.
    static func problem(_ text: String, target: MapTarget, rule: ColumnRule, isDefault: Bool) -> String? {
        var text = text
        return text.withUTF8 { problem(UnsafeRawBufferPointer($0), target: target, rule: rule, isDefault: isDefault) }
    }

    private static func problem(_ bytes: UnsafeRawBufferPointer, target: MapTarget, rule: ColumnRule, isDefault: Bool) -> String? {
        switch target {
        case .usageDate:
            let format = isDefault ? rule.format : .isoDate
            return format.read(bytes) == nil ? "is not a date in the format \"\(format.text)\"" : nil
        case .partner:
            return AgreementsParser.isValidPartnerID(String(decoding: bytes, as: UTF8.self)) ? nil : "is not a partner id"
        case .model, .region:
            if case .failure(let problem) = text(bytes, target) { return problem.message }
            return nil
        case .currency:
            return Currency(code: String(decoding: bytes, as: UTF8.self)) == nil ? "is not an ISO 4217 currency code" : nil
        case .requests, .inputTokens, .outputTokens, .grossRevenue, .reportedShare:
            if case .failure(let problem) = number(bytes, target: target, rule: rule, negated: false) { return problem.message }
            return nil
        }
    }

    /// A model (1–200 characters, no line break) or region (at most 200) as §3.2 checks it.
    static func text(_ bytes: UnsafeRawBufferPointer, _ target: MapTarget) -> Result<Void, FieldProblem> {
        if target == .model && bytes.isEmpty { return .failure(FieldProblem("empty value")) }
        return FieldRules.text(bytes, required: false, maximumCharacters: UsageBatch.maximumModelCharacters, lineBreaks: target != .model)
    }

    /// A data value in a message (SPEC-intake §I12): in double quotes, `"` and `\` escaped, line
    /// breaks and tabs as `\n`, `\r`, `\t`, other controls as `\u{…}`; long values cut.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == FieldRules.quotedPrefix {
                out += "…"
                break
            }
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += TerminalText.escaped(String(scalar))
            }
        }
        return out + "\""
    }

    static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        quoted(String(decoding: bytes, as: UTF8.self))
    }
}
