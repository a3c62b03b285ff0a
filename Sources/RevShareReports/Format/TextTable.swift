/// Plain-text columns: left-aligned text, right-aligned numbers, two spaces between.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public let columns: [(title: String, alignment: Alignment)]
    public private(set) var rows: [[String]] = []

    public init(_ columns: [(title: String, alignment: Alignment)]) { self.columns = columns }

    public mutating func add(_ row: [String]) {
        precondition(row.count == columns.count, "a row has one cell per column")
        rows.append(row)
    }

    public func rendered(indent: String = "") -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                let fill = String(repeating: " ", count: widths[index] - cell.count)
                return columns[index].alignment == .left ? cell + fill : fill + cell
            }
            return indent + padded.joined(separator: "  ").replacingTrailingSpaces() + "\n"
        }
        var out = line(columns.map(\.title))
        out += line(widths.map { String(repeating: "-", count: $0) })
        for row in rows { out += line(row) }
        return out
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
