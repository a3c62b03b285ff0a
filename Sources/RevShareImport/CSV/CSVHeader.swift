import RevShareCore

/// The header record of a CSV file: column names matched case-insensitively after trimming.
///
/// A name's *key* is the name with ASCII spaces and tabs trimmed from both ends, lowercased.
/// `index(of:)` and `unknownColumns(known:)` compare keys, so ` Usage_Date ` matches `usage_date`.
/// Bytes that are not valid UTF-8 are decoded with U+FFFD replacement characters.
public struct CSVHeader: Equatable, Sendable {
    /// A column name present more than once. Reported once per later occurrence, each naming the
    /// first occurrence.
    public struct DuplicateColumn: Error, Equatable, Sendable, CustomStringConvertible {
        /// The name as written in the later occurrence, trimmed.
        public var name: String
        /// 1-based positions of the first occurrence and of this one.
        public var firstColumn: Int
        public var column: Int
        /// The header's line.
        public var line: Int

        public init(name: String, firstColumn: Int, column: Int, line: Int) {
            self.name = name
            self.firstColumn = firstColumn
            self.column = column
            self.line = line
        }

        /// e.g. `duplicate column "partner" (columns 2 and 5)`.
        public var message: String {
            "duplicate column \"\(name)\" (columns \(firstColumn) and \(column))"
        }

        public var description: String { message }
    }

    /// The line the header was read from.
    public let line: Int
    /// Names as written, trimmed of ASCII spaces and tabs.
    public let names: [String]
    /// Matching keys (trimmed, lowercased), one per column.
    public let keys: [String]
    /// Every repeated column, in file order. Empty for a valid header.
    public let duplicates: [DuplicateColumn]

    /// Byte for byte, like every key of user text.
    private let firstIndexByKey: [ExactText: Int]

    /// Builds the header from the file's first record.
    public init(_ record: CSVRecord) {
        var names: [String] = []
        for i in 0..<record.fieldCount {
            let name = record.withFieldBytes(i) { String(decoding: $0, as: UTF8.self) }
            names.append(Self.trim(name))
        }
        self.init(line: record.line, names: names)
    }

    /// Builds a header from names (trimmed here), e.g. for tests.
    public init(line: Int = 1, names: [String]) {
        self.line = line
        self.names = names.map(Self.trim)
        self.keys = self.names.map { $0.lowercased() }
        var firstIndexByKey: [ExactText: Int] = [:]
        var duplicates: [DuplicateColumn] = []
        for (i, key) in keys.map(ExactText.init(_:)).enumerated() {
            if let first = firstIndexByKey[key] {
                duplicates.append(DuplicateColumn(name: self.names[i], firstColumn: first + 1, column: i + 1, line: line))
            } else {
                firstIndexByKey[key] = i
            }
        }
        self.firstIndexByKey = firstIndexByKey
        self.duplicates = duplicates
    }

    /// Number of columns.
    public var count: Int { names.count }

    /// The matching key of a column name: ASCII spaces and tabs trimmed, lowercased.
    public static func key(_ name: String) -> String {
        trim(name).lowercased()
    }

    /// 0-based field index of the column called `name` (compared by key); the first one if the
    /// name is repeated; `nil` if absent.
    public func index(of name: String) -> Int? {
        firstIndexByKey[ExactText(Self.key(name))]
    }

    /// Columns whose key is not among the keys of `known`, in file order, each name once (the
    /// first spelling met).
    public func unknownColumns(known: some Sequence<String>) -> [String] {
        let knownKeys = Set(known.map { ExactText(Self.key($0)) })
        var seen: Set<ExactText> = []
        var unknown: [String] = []
        for (name, key) in zip(names, keys.map(ExactText.init(_:))) where !knownKeys.contains(key) {
            if seen.insert(key).inserted {
                unknown.append(name)
            }
        }
        return unknown
    }

    private static func trim(_ name: String) -> String {
        let scalars = name.unicodeScalars
        func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }
        guard let first = scalars.firstIndex(where: { !isBlank($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isBlank($0) })!
        return String(scalars[first...last])
    }
}
