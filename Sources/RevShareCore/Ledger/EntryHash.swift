import Crypto

/// The canonical byte encoding of an entry and its place on the SHA-256 hash chain.
///
/// Encoding v1 (documented in the README): the line `revshare-entry-v1`, then one line per
/// field as `name=<byte count>:<UTF-8 bytes>` in this order: seq, date, kind, description,
/// key, recorded_at, postings (their count), then for each posting in line order
/// `account`, `currency`, `amount` (minor units, base 10), and last `prev` (the previous
/// entry's hash, lowercase hex; 64 zeros for the first entry). Every line ends with `\n`.
/// Length prefixes make the encoding unambiguous whatever bytes a description holds.
public enum EntryHash {
    public static let genesis = String(repeating: "0", count: 64)

    public static func canonicalBytes(_ entry: StoredEntry) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + entry.description.utf8.count + entry.postings.count * 96)
        bytes.append(contentsOf: "revshare-entry-v1\n".utf8)
        // Appends straight into one buffer: `verify` hashes every entry, so no temporaries.
        func field(_ name: StaticString, _ value: String) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            bytes.append(UInt8(ascii: "="))
            bytes.append(contentsOf: String(value.utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        field("seq", String(entry.sequence))
        field("date", entry.date)
        field("kind", entry.kind)
        field("description", entry.description)
        field("key", entry.idempotencyKey)
        field("recorded_at", entry.recordedAt)
        field("postings", String(entry.postings.count))
        for posting in entry.postings {
            field("account", posting.account)
            field("currency", posting.currency)
            field("amount", String(posting.amountMinor))
        }
        field("prev", entry.previousHash)
        return bytes
    }

    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let alphabet = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(alphabet[Int(byte >> 4)])
            out.append(alphabet[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }
}

/// Incremental SHA-256, for hashing input files while they stream.
public struct StreamingSHA256: Sendable {
    private var hasher = SHA256()
    public init() {}
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
    public func finalizeHex() -> String { EntryHash.hex(hasher.finalize()) }
}
