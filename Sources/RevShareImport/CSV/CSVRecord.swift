/// One CSV record: its fields' unescaped bytes, back to back in one buffer, and each field's end
/// offset. Meant to be reused: `CSVReader.next(into:)` refills it in place, keeping its capacity,
/// so the steady state allocates nothing.
///
/// Field indexes are 0-based; an index out of `0..<fieldCount` traps. Bytes are exactly what the
/// file held (after unescaping `""`), never trimmed nor validated as UTF-8.
public struct CSVRecord: Equatable, Sendable {
    /// Physical 1-based line on which the record starts (the header is line 1).
    public internal(set) var line: Int
    /// Unescaped content of every field, concatenated.
    @usableFromInline internal var storage: [UInt8]
    /// `ends[i]` is the end offset of field `i` in `storage`; field `i` starts at `ends[i - 1]`
    /// (0 for the first).
    @usableFromInline internal var ends: [Int]

    /// An empty record to pass to `CSVReader.next(into:)`.
    public init() {
        line = 0
        storage = []
        storage.reserveCapacity(1024)
        ends = []
        ends.reserveCapacity(32)
    }

    /// A record with the given fields, e.g. to test row validation without a file.
    public init(line: Int, fields: [String]) {
        self.init(line: line, byteFields: fields.map { Array($0.utf8) })
    }

    /// A record with the given raw fields.
    public init(line: Int, byteFields: [[UInt8]]) {
        self.line = line
        storage = []
        ends = []
        for field in byteFields {
            storage.append(contentsOf: field)
            ends.append(storage.count)
        }
    }

    /// Number of fields (at least 1 for any record read from a file: an empty line is no record).
    @inlinable
    public var fieldCount: Int { ends.count }

    @inlinable
    internal func range(_ i: Int) -> Range<Int> {
        let end = ends[i]
        let start = i == 0 ? 0 : ends[i &- 1]
        return start..<end
    }

    /// Byte length of field `i`.
    @inlinable
    public func byteCount(_ i: Int) -> Int { range(i).count }

    /// Whether field `i` is empty (zero bytes; `""` in the file is empty too).
    @inlinable
    public func isEmpty(_ i: Int) -> Bool { range(i).isEmpty }

    /// Calls `body` with the bytes of field `i`. The pointer is valid only inside `body`.
    @inlinable
    public func withFieldBytes<R, E: Error>(
        _ i: Int, _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let r = range(i)
        // `Array.withUnsafeBytes` is `rethrows` (untyped): carry the typed error out in a Result.
        let result = storage.withUnsafeBytes { all -> Result<R, E> in
            do throws(E) {
                return .success(try body(UnsafeRawBufferPointer(rebasing: all[r])))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The bytes of field `i`, as a slice sharing the record's storage (no copy). Compare it with
    /// `==` against another slice, or use `field(_:equals:)`.
    @inlinable
    public func bytes(_ i: Int) -> ArraySlice<UInt8> { storage[range(i)] }

    /// Field `i` as a `String`, or `nil` when its bytes are not valid UTF-8.
    public func string(_ i: Int) -> String? {
        String(validating: storage[range(i)], as: UTF8.self)
    }

    /// Whether field `i` holds exactly the UTF-8 bytes of `text`. No allocation for native strings.
    @inlinable
    public func field(_ i: Int, equals text: String) -> Bool {
        let r = range(i)
        var text = text
        return text.withUTF8 { expected in
            expected.count == r.count && storage.withUnsafeBytes { all in
                UnsafeRawBufferPointer(rebasing: all[r]).elementsEqual(expected)
            }
        }
    }

    /// Whether field `i` holds exactly `expected`.
    @inlinable
    public func field(_ i: Int, equals expected: some Collection<UInt8>) -> Bool {
        let r = range(i)
        return expected.count == r.count && storage[r].elementsEqual(expected)
    }

    /// Every field as a `String` (`nil` where not valid UTF-8). Allocates; for tests and headers.
    public var strings: [String?] {
        (0..<fieldCount).map { string($0) }
    }

    /// Replaces the content with `count` bytes at `bytes` and `fieldCount` end offsets at `ends`,
    /// reusing the existing capacity.
    @usableFromInline
    internal mutating func assign(
        line: Int, bytes: UnsafePointer<UInt8>, count: Int, ends newEnds: UnsafePointer<Int>, fieldCount: Int
    ) {
        self.line = line
        storage.removeAll(keepingCapacity: true)
        storage.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        ends.removeAll(keepingCapacity: true)
        ends.append(contentsOf: UnsafeBufferPointer(start: newEnds, count: fieldCount))
    }
}
