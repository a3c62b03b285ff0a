/// An Int64 sum of money or tokens that records overflow instead of wrapping or trapping:
/// every total revshare computes goes through it, so a sum too large for 64 bits is an error
/// the caller names, never a crash.
public struct CheckedSum: Sendable, Equatable {
    /// The sum so far; meaningless once `overflowed`.
    public private(set) var value: Int64 = 0
    public private(set) var overflowed = false

    public init() {}

    public mutating func add(_ amount: Int64) {
        let (sum, overflow) = value.addingReportingOverflow(amount)
        overflowed = overflowed || overflow
        value = sum
    }

    public mutating func subtract(_ amount: Int64) {
        let (difference, overflow) = value.subtractingReportingOverflow(amount)
        overflowed = overflowed || overflow
        value = difference
    }

    /// The sum, or nil when it does not fit 64 bits.
    public var total: Int64? { overflowed ? nil : value }

    /// The sum of `amounts`, or nil when it (or a partial sum) does not fit 64 bits.
    public static func of<S: Sequence>(_ amounts: S) -> Int64? where S.Element == Int64 {
        var sum = CheckedSum()
        for amount in amounts { sum.add(amount) }
        return sum.total
    }
}
