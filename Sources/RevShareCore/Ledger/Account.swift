/// A ledger account name: lowercase segments of `[a-z0-9-]` joined by `:`.
public struct Account: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let maximumLength = 200
    public let name: String

    public init?(_ name: String) {
        guard Account.isValid(name) else { return nil }
        self.name = name
    }

    public static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maximumLength else { return false }
        var previous: UInt8 = UInt8(ascii: ":")
        for byte in name.utf8 {
            let isSegmentByte = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            if byte == UInt8(ascii: ":") {
                if previous == UInt8(ascii: ":") { return false }
            } else if !isSegmentByte {
                return false
            }
            previous = byte
        }
        return previous != UInt8(ascii: ":")
    }

    public static let bank = Account(unchecked: "assets:bank")
    public static func receivable(_ partner: String) -> Account { Account(unchecked: "assets:receivable:\(partner)") }
    public static func revenueShare(_ partner: String) -> Account { Account(unchecked: "income:revenue-share:\(partner)") }
    public static func minimumGuarantee(_ partner: String) -> Account { Account(unchecked: "income:minimum-guarantee:\(partner)") }
    public static func adjustments(_ partner: String) -> Account { Account(unchecked: "income:adjustments:\(partner)") }

    /// For names built from validated parts (partner ids are `[a-z0-9][a-z0-9-]*`).
    private init(unchecked name: String) {
        assert(Account.isValid(name), "invalid account name \(name)")
        self.name = name
    }

    public static func < (lhs: Account, rhs: Account) -> Bool { lhs.name < rhs.name }
    public var description: String { name }
}
