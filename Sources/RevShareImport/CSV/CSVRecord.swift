/// One CSV record: its fields' unescaped bytes back to back in one buffer, and each field's end
/// offset. Meant to be reused: `CSVReader.next(into:)` refills it in place, keeping its capacity, so
/// the steady state allocates nothing.
///
/// A value type with copy-on-write storage: a copy (or a `CSVField` taken from it) keeps seeing
/// the content it had; refilling a record whose storage is shared allocates fresh storage once.
///
/// Field indexes are 0-based; an index outside `0..<fieldCount` traps. Bytes are exactly what the
/// file held (after unescaping `""`), never trimmed nor validated as UTF-8.
public struct CSVRecord: Equatable, Sendable {
    @usableFromInline internal var storage: Storage

    /// An empty record to pass to `CSVReader.next(into:)`.
    public init() {
        storage = Storage(byteCapacity: 1024, endsCapacity: 64)
    }

    /// A record with the given fields, e.g. to test row validation without a file.
    public init(line: Int, fields: [String]) {
        self.init(line: line, byteFields: fields.map { Array($0.utf8) })
    }

    /// A record with the given raw fields.
    public init(line: Int, byteFields: [[UInt8]]) {
        let total = byteFields.reduce(0) { $0 + $1.count }
        storage = Storage(byteCapacity: max(total, 1), endsCapacity: max(byteFields.count, 1))
        storage.line = line
        var offset = 0
        for (i, field) in byteFields.enumerated() {
            field.withUnsafeBufferPointer { src in
                if let base = src.baseAddress {
                    (storage.bytes + offset).update(from: base, count: src.count)
                }
            }
            offset += field.count
            storage.ends[i] = offset
        }
        storage.byteCount = offset
        storage.fieldCount = byteFields.count
    }

    /// Physical 1-based line on which the record starts (the header is line 1).
    @inlinable
    public var line: Int { storage.line }

    /// Number of fields (at least 1 for any record read from a file: an empty line is no record).
    @inlinable
    public var fieldCount: Int { storage.fieldCount }

    /// Byte length of field `i`.
    @inlinable
    public func byteCount(_ i: Int) -> Int { storage.range(i).count }

    /// Whether field `i` is empty (zero bytes; `""` in the file is empty too).
    @inlinable
    public func isEmpty(_ i: Int) -> Bool { storage.range(i).isEmpty }

    /// Calls `body` with the bytes of field `i`. The pointer is valid only inside `body`.
    @inlinable
    public func withFieldBytes<R, E: Error>(
        _ i: Int, _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let r = storage.range(i)
        defer { withExtendedLifetime(storage) {} }
        return try body(UnsafeRawBufferPointer(start: storage.bytes + r.lowerBound, count: r.count))
    }

    /// Field `i` as a `CSVField`: a view sharing the record's storage, without copying. Compare it
    /// with `==` against a `String`, `[UInt8]` or another field.
    @inlinable
    public func bytes(_ i: Int) -> CSVField {
        let r = storage.range(i)
        return CSVField(storage: storage, start: r.lowerBound, count: r.count)
    }

    /// Field `i` as a `String`, or `nil` when its bytes are not valid UTF-8.
    public func string(_ i: Int) -> String? {
        bytes(i).string
    }

    /// Whether field `i` holds exactly the UTF-8 bytes of `text`. No allocation for native strings.
    @inlinable
    public func field(_ i: Int, equals text: String) -> Bool {
        bytes(i) == text
    }

    /// Whether field `i` holds exactly `expected`.
    @inlinable
    public func field(_ i: Int, equals expected: some Collection<UInt8>) -> Bool {
        let field = bytes(i)
        return field.count == expected.count && field.elementsEqual(expected)
    }

    /// Every field as a `String` (`nil` where not valid UTF-8). Allocates; for tests and headers.
    public var strings: [String?] {
        (0..<fieldCount).map { string($0) }
    }

    public static func == (lhs: CSVRecord, rhs: CSVRecord) -> Bool {
        guard lhs.line == rhs.line, lhs.fieldCount == rhs.fieldCount else { return false }
        return (0..<lhs.fieldCount).allSatisfy { lhs.bytes($0) == rhs.bytes($0) }
    }

    /// Gives the record storage of its own, emptied, for the reader to fill.
    internal mutating func prepareForWriting() -> Storage {
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(byteCapacity: storage.byteCapacity, endsCapacity: storage.endsCapacity)
        }
        storage.byteCount = 0
        storage.fieldCount = 0
        storage.line = 0
        return storage
    }

    /// Heap storage of a record, copy-on-write through `CSVRecord`. Mutated only by the reader
    /// after `prepareForWriting()` made it unique; immutable while shared, hence Sendable.
    @usableFromInline
    internal final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) @usableFromInline var bytes: UnsafeMutablePointer<UInt8>
        @exclusivity(unchecked) @usableFromInline var byteCapacity: Int
        @exclusivity(unchecked) @usableFromInline var byteCount = 0
        /// `ends[i]` is the end offset of field `i` in `bytes`; field `i` starts at `ends[i - 1]`
        /// (0 for the first).
        @exclusivity(unchecked) @usableFromInline var ends: UnsafeMutablePointer<Int>
        @exclusivity(unchecked) @usableFromInline var endsCapacity: Int
        @exclusivity(unchecked) @usableFromInline var fieldCount = 0
        @exclusivity(unchecked) @usableFromInline var line = 0

        init(byteCapacity: Int, endsCapacity: Int) {
            self.byteCapacity = byteCapacity
            self.bytes = .allocate(capacity: byteCapacity)
            self.endsCapacity = endsCapacity
            self.ends = .allocate(capacity: endsCapacity)
        }

        deinit {
            bytes.deallocate()
            ends.deallocate()
        }

        @inlinable
        func range(_ i: Int) -> Range<Int> {
            precondition(i >= 0 && i < fieldCount, "CSV field index out of range")
            let end = ends[i]
            let start = i == 0 ? 0 : ends[i &- 1]
            return start..<end
        }

        /// Grows the byte buffer to `capacity`, keeping the first `count` bytes.
        func growBytes(to capacity: Int, keeping count: Int) {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: bytes, count: count)
            bytes.deallocate()
            bytes = grown
            byteCapacity = capacity
        }

        /// Grows the offsets buffer to `capacity`, keeping the first `count` offsets.
        func growEnds(to capacity: Int, keeping count: Int) {
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
            grown.update(from: ends, count: count)
            ends.deallocate()
            ends = grown
            endsCapacity = capacity
        }
    }
}

/// The bytes of one field: a read-only view sharing its record's storage (no copy; it stays valid
/// and unchanged even after the record is refilled, at the price of the refill allocating).
public struct CSVField: RandomAccessCollection, Hashable, Sendable, CustomStringConvertible {
    @usableFromInline internal let storage: CSVRecord.Storage
    @usableFromInline internal let start: Int
    public let count: Int

    @inlinable
    internal init(storage: CSVRecord.Storage, start: Int, count: Int) {
        self.storage = storage
        self.start = start
        self.count = count
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable
    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "CSVField index out of range")
        return storage.bytes[start &+ position]
    }

    /// Calls `body` with the bytes. The pointer is valid only inside `body`.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(storage) {} }
        return try body(UnsafeRawBufferPointer(start: storage.bytes + start, count: count))
    }

    /// Lets generic algorithms (`Array.init`, `elementsEqual`, …) use the contiguous bytes.
    @inlinable
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        defer { withExtendedLifetime(storage) {} }
        return try body(UnsafeBufferPointer(start: storage.bytes + start, count: count))
    }

    /// The bytes as a `String`, or `nil` when they are not valid UTF-8.
    public var string: String? {
        withUnsafeBytes { String(validating: $0, as: UTF8.self) }
    }

    public var description: String {
        withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    @inlinable
    public static func == (lhs: CSVField, rhs: CSVField) -> Bool {
        lhs.count == rhs.count && lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in l.elementsEqual(r) } }
    }

    @inlinable
    public static func == (lhs: CSVField, rhs: String) -> Bool {
        var rhs = rhs
        return rhs.withUTF8 { r in
            lhs.count == r.count && lhs.withUnsafeBytes { l in l.elementsEqual(r) }
        }
    }

    @inlinable
    public static func == (lhs: CSVField, rhs: [UInt8]) -> Bool {
        lhs.count == rhs.count && lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in l.elementsEqual(r) } }
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
