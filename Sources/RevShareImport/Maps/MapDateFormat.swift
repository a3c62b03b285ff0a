import RevShareCore

/// A date FORMAT of SPEC-intake §I4.4: `%Y`, `%m`, `%d`, `%H`, `%M`, `%S`, `%f`, `%%`, and
/// literal text. A value matches the whole format and must be a real date and time (UTC).
public struct MapDateFormat: Sendable, Equatable {
    enum Part: Equatable, Sendable {
        case literal([UInt8])
        case field(Field)
    }

    enum Field: UInt8, Sendable {
        case year = 0x59, month = 0x6D, day = 0x64, hour = 0x48, minute = 0x4D, second = 0x53, fraction = 0x66
    }

    /// A matched value; compared as a date-time, the fraction as a decimal (`.5` = `.500`).
    public struct DateTime: Comparable, Sendable, CustomStringConvertible {
        public let date: CivilDate
        let secondOfDay: Int
        /// Nanoseconds.
        let fraction: Int

        public static func < (lhs: DateTime, rhs: DateTime) -> Bool {
            (lhs.date, lhs.secondOfDay, lhs.fraction) < (rhs.date, rhs.secondOfDay, rhs.fraction)
        }

        public var description: String { "\(date) \(secondOfDay)s \(fraction)ns" }
    }

    public static let isoDate = MapDateFormat(parts: [.field(.year), .literal([0x2D]), .field(.month), .literal([0x2D]), .field(.day)], text: "%Y-%m-%d")

    let parts: [Part]
    public let text: String

    /// The format, or what is wrong with it.
    public static func parse(_ text: String) -> Result<MapDateFormat, FieldProblem> {
        var parts: [Part] = []
        var literal: [UInt8] = []
        var seen: Set<UInt8> = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == 0x25 else {
                literal.append(byte)
                continue
            }
            guard let code = bytes.popFirst() else { return .failure(FieldProblem("a % at the end of the format stands for nothing; write %% for a percent sign")) }
            if code == 0x25 {
                literal.append(0x25)
                continue
            }
            guard let field = Field(rawValue: code) else {
                return .failure(FieldProblem("%\(Character(Unicode.Scalar(code))) is not a format part; use %Y, %m, %d, %H, %M, %S, %f or %%"))
            }
            guard seen.insert(code).inserted else { return .failure(FieldProblem("%\(Character(Unicode.Scalar(code))) appears twice")) }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = []
            parts.append(.field(field))
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        for required in [Field.year, .month, .day] where !seen.contains(required.rawValue) {
            return .failure(FieldProblem("%\(Character(Unicode.Scalar(required.rawValue))) is missing; %Y, %m and %d each appear once"))
        }
        return .success(MapDateFormat(parts: parts, text: text))
    }

    /// The value's date and time, or nil when it does not match the whole format or is not real.
    public func read(_ bytes: UnsafeRawBufferPointer) -> DateTime? {
        var values: [Field: Int] = [:]
        var index = 0
        for part in parts {
            switch part {
            case .literal(let literal):
                guard bytes.count - index >= literal.count, bytes[index..<(index + literal.count)].elementsEqual(literal) else { return nil }
                index += literal.count
            case .field(let field):
                let (minimum, maximum) = field == .year ? (4, 4) : field == .fraction ? (1, 9) : (2, 2)
                var end = index
                while end < bytes.count, end - index < maximum, (0x30...0x39).contains(bytes[end]) { end += 1 }
                guard end - index >= minimum else { return nil }
                var value = bytes[index..<end].reduce(0) { $0 * 10 + Int($1 - 0x30) }
                if field == .fraction { for _ in (end - index)..<9 { value *= 10 } }
                values[field] = value
                index = end
            }
        }
        guard index == bytes.count else { return nil }
        return dateTime(values)
    }

    private func dateTime(_ values: [Field: Int]) -> DateTime? {
        let hour = values[.hour] ?? 0, minute = values[.minute] ?? 0, second = values[.second] ?? 0
        guard hour < 24, minute < 60, second < 60,
              let date = CivilDate(year: values[.year]!, month: values[.month]!, day: values[.day]!) else { return nil }
        return DateTime(date: date, secondOfDay: (hour * 60 + minute) * 60 + second, fraction: values[.fraction] ?? 0)
    }
}
