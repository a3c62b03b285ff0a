import Crypto

/// The stored inputs that figures derive from, each sealed on the input chain when it is
/// recorded: a usage or meter report (with its file and rows), a file of payments (with its
/// payments), an agreements load, and the agreements in force after that load.
public enum InputKind: String, Sendable, CaseIterable {
    case usageReport = "usage_report"
    case meterReport = "meter_report"
    case paymentFile = "payment_file"
    case agreementLoad = "agreement_load"
    case agreementSet = "agreement_set"
}

/// The canonical byte encoding of one stored input, streamed into SHA-256 so that a report of
/// a million rows is hashed without being held.
///
/// Encoding `revshare-input-v1` (documented in the README): the line `revshare-input-v1`, the
/// line `kind=<byte count>:<kind>`, then for every stored row, in the order its query fixes, the
/// line `row=<byte count>:<table>` followed by one line per column in the query's order:
/// `i=<byte count>:<base-10 integer>`, `t=<byte count>:<UTF-8 bytes>`, or `n` for NULL. Every
/// line ends with `\n`. The length prefixes and type tags make it unambiguous: no two different
/// sets of stored values encode alike, a number stored as text included.
public struct InputDigest: Sendable {
    private var hasher = SHA256()
    /// Bytes not yet hashed: hashing in 64 KiB blocks costs a fraction of one call per value.
    private var pending: [UInt8] = []
    private static let blockBytes = 65_536

    public init(_ kind: InputKind) {
        pending.reserveCapacity(Self.blockBytes + 4_096)
        line("revshare-input-v1")
        field("kind", kind.rawValue)
    }

    public mutating func row(_ table: String) { field("row", table) }

    public mutating func integer(_ value: Int64) {
        // Digits written straight into the buffer: a million-row report hashes ten million of
        // these, and a String per value would cost more than the hashing.
        let digits = Self.digitCount(value.magnitude)
        pending.append(UInt8(ascii: "i"))
        pending.append(UInt8(ascii: "="))
        appendDecimal(digits + (value < 0 ? 1 : 0))
        pending.append(UInt8(ascii: ":"))
        if value < 0 { pending.append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
        pending.append(UInt8(ascii: "\n"))
        flushIfFull()
    }

    private static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 { rest /= 10; count += 1 }
        return count
    }

    private mutating func appendDecimal(_ value: Int) { appendDecimal(UInt64(value)) }

    private mutating func appendDecimal(_ value: UInt64) {
        if value >= 10 { appendDecimal(value / 10) }
        pending.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    public mutating func text(_ bytes: UnsafeRawBufferPointer) {
        prefix("t", count: bytes.count)
        pending.append(contentsOf: bytes)
        pending.append(UInt8(ascii: "\n"))
        flushIfFull()
    }

    public mutating func null() { line("n") }

    public func finalizeHex() -> String {
        var hasher = hasher
        hasher.update(data: pending)
        return EntryHash.hex(hasher.finalize())
    }

    private mutating func field(_ name: String, _ value: String) {
        prefix(name, count: value.utf8.count)
        line(value)
    }

    private mutating func prefix(_ name: String, count: Int) {
        pending.append(contentsOf: name.utf8)
        pending.append(UInt8(ascii: "="))
        appendDecimal(count)
        pending.append(UInt8(ascii: ":"))
    }

    private mutating func line(_ text: String) {
        pending.append(contentsOf: text.utf8)
        pending.append(UInt8(ascii: "\n"))
        flushIfFull()
    }

    private mutating func flushIfFull() {
        guard pending.count >= Self.blockBytes else { return }
        hasher.update(data: pending)
        pending.removeAll(keepingCapacity: true)
    }
}

/// One link of the input chain: which input it seals, the digest of its content, and the
/// link before it, hashed like a ledger entry so that a changed, removed or inserted link
/// breaks every hash after it.
///
/// Encoding `revshare-input-link-v1`: the line `revshare-input-link-v1`, then `name=<byte
/// count>:<value>` lines for seq, kind, subject (the input's id, base 10), sha256 (its
/// content digest), recorded_at and prev (the previous link's hash; 64 zeros for the first).
public struct InputLink: Sendable, Equatable {
    public let sequence: Int64
    public let kind: InputKind
    public let subjectID: Int64
    public let contentSHA256: String
    public let recordedAt: String
    public let previousHash: String

    public init(sequence: Int64, kind: InputKind, subjectID: Int64, contentSHA256: String, recordedAt: String,
                previousHash: String) {
        self.sequence = sequence
        self.kind = kind
        self.subjectID = subjectID
        self.contentSHA256 = contentSHA256
        self.recordedAt = recordedAt
        self.previousHash = previousHash
    }

    public var hash: String {
        var bytes = Array("revshare-input-link-v1\n".utf8)
        for (name, value) in [("seq", String(sequence)), ("kind", kind.rawValue), ("subject", String(subjectID)),
                              ("sha256", contentSHA256), ("recorded_at", recordedAt), ("prev", previousHash)] {
            bytes.append(contentsOf: "\(name)=\(value.utf8.count):\(value)\n".utf8)
        }
        return EntryHash.sha256Hex(bytes)
    }
}
